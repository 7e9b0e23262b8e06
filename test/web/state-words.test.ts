// Each message state is named for what it proves (docs/PROTOCOL.md section 11): what only proves the relay
// logged a message must never read like the other station having it, in either language, in the browser
// consoles and the terminal console alike.
import { describe, expect, it } from 'vitest';
import { stateWords } from '../../cli/console-states.js';
import { en, zh } from '../../web/src/console/strings.js';

const OUT = ['stateQueued', 'stateAccepted', 'stateDelivered', 'stateAcknowledged', 'stateRejected'] as const;
const IN = ['stateInLogged', 'stateInDelivered', 'stateInAcknowledged'] as const;

describe.each([
  ['en', en],
  ['zh', zh],
] as const)('the state words in %s', (_lang, table) => {
  it('give every state its own words, apart from "relay logged it", which is the same fact both ways', () => {
    const words = [...OUT, ...IN].map((k) => table[k]);
    expect(new Set(words).size).toBe(words.length - 1);
    expect(table.stateAccepted).toBe(table.stateInLogged);
  });

  it('say which side did what once the relay has logged a message', () => {
    expect(table.stateDelivered).not.toBe(table.stateInDelivered);
    expect(table.stateAcknowledged).not.toBe(table.stateInAcknowledged);
  });
});

describe('the Chinese words', () => {
  it('no longer use 已接收 (read like 已收到, received) for what the relay did', () => {
    for (const k of [...OUT, ...IN]) expect(zh[k]).not.toMatch(/已接收|^已收到$/);
    expect(zh.stateAccepted).toContain('中继');
    expect(zh.stateDelivered).toContain('对方');
    expect(zh.stateAcknowledged).toContain('对方');
    expect(zh.stateInDelivered).toContain('本台');
  });
});

describe('the terminal console', () => {
  it('uses the browser console’s English words', () => {
    expect(stateWords(false, 'queued')).toBe(en.stateQueued.replace(/^I/, 'i'));
    expect(stateWords(false, 'accepted')).toBe(en.stateAccepted.toLowerCase());
    expect(stateWords(false, 'delivered')).toBe(en.stateDelivered.toLowerCase());
    expect(stateWords(false, 'acknowledged')).toBe(en.stateAcknowledged.toLowerCase());
    expect(stateWords(true, 'delivered')).toBe(en.stateInDelivered.toLowerCase());
    expect(stateWords(true, 'acknowledged')).toBe(en.stateInAcknowledged.toLowerCase());
  });
});
