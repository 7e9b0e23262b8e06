// The alarm tone: a short WebAudio beep. Browsers allow audio only after a user gesture, so the
// AudioContext is created on the first key press or click; until then alarms are visual only.
import type { Precedence } from '../../../shared/items.js';
import { interrupts } from '../../../shared/precedence.js';

export class Siren {
  #ctx: AudioContext | undefined;
  #enabled: boolean;

  constructor(enabled: boolean) {
    this.#enabled = enabled;
    const unlock = () => {
      this.#unlock();
      if (this.#ctx) {
        removeEventListener('keydown', unlock, true);
        removeEventListener('pointerdown', unlock, true);
      }
    };
    addEventListener('keydown', unlock, true);
    addEventListener('pointerdown', unlock, true);
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  set enabled(on: boolean) {
    this.#enabled = on;
  }

  #unlock(): void {
    try {
      this.#ctx ??= new AudioContext();
      if (this.#ctx.state === 'suspended') void this.#ctx.resume();
    } catch {
      // No audio output: alarms stay visual.
    }
  }

  /**
   * FLASH: three quick high tones; IMMEDIATE: one lower tone; PRIORITY and ROUTINE never sound, though they
   * have deadlines and alarms too (shared/precedence.ts `interrupts`). Silent when off or not yet allowed.
   */
  beep(precedence: Precedence): void {
    const ctx = this.#ctx;
    if (!interrupts(precedence) || !this.#enabled || !ctx || ctx.state !== 'running') return;
    const tones = precedence === 'FLASH' ? [0, 0.18, 0.36] : [0];
    const freq = precedence === 'FLASH' ? 1046 : 784;
    for (const offset of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const start = ctx.currentTime + offset;
      osc.type = 'square';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.12, start + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.15);
    }
  }
}
