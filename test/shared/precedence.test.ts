// The precedence rules every console applies: urgency order, labels, and the ACP 121 acknowledgement
// deadlines (FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h; only the first two interrupt).
import { describe, expect, it } from 'vitest';
import { PRECEDENCES } from '../../shared/items.js';
import {
  ACK_DEADLINE_MS,
  ACK_DEADLINES,
  byUrgency,
  deadlineText,
  interrupts,
  isPrecedence,
  precedenceLabel,
} from '../../shared/precedence.js';

const MIN = 60_000;

describe('precedence order and labels', () => {
  it('orders most urgent first, whatever order the messages came in', () => {
    expect((['ROUTINE', 'FLASH', 'PRIORITY', 'IMMEDIATE'] as const).toSorted(byUrgency)).toEqual([
      'FLASH',
      'IMMEDIATE',
      'PRIORITY',
      'ROUTINE',
    ]);
    expect(byUrgency('IMMEDIATE', 'IMMEDIATE')).toBe(0);
  });

  it('lets FLASH and IMMEDIATE interrupt the operator, and only them', () => {
    expect(PRECEDENCES.filter(interrupts)).toEqual(['FLASH', 'IMMEDIATE']);
  });

  it('recognises the four prosigns exactly (callers upper-case input first)', () => {
    expect(PRECEDENCES.every(isPrecedence)).toBe(true);
    expect(isPrecedence('flash')).toBe(false);
    expect(isPrecedence('URGENT')).toBe(false);
    expect(isPrecedence('')).toBe(false);
  });

  it('labels a precedence with its prosign, and in Chinese with its gloss as well', () => {
    expect(PRECEDENCES.map((p) => precedenceLabel(p))).toEqual(['FLASH', 'IMMEDIATE', 'PRIORITY', 'ROUTINE']);
    expect(PRECEDENCES.map((p) => precedenceLabel(p, 'zh'))).toEqual([
      'FLASH 特急',
      'IMMEDIATE 加急',
      'PRIORITY 急',
      'ROUTINE 平',
    ]);
  });
});

describe('acknowledgement deadlines', () => {
  it('applies the ACP 121 objectives: FLASH 10 min, IMMEDIATE 30 min, PRIORITY 3 h, ROUTINE 6 h', () => {
    expect(ACK_DEADLINE_MS).toEqual({ FLASH: 10 * MIN, IMMEDIATE: 30 * MIN, PRIORITY: 180 * MIN, ROUTINE: 360 * MIN });
    expect(ACK_DEADLINES).toEqual([
      ['FLASH', 10 * MIN],
      ['IMMEDIATE', 30 * MIN],
      ['PRIORITY', 180 * MIN],
      ['ROUTINE', 360 * MIN],
    ]);
    // Every precedence has a deadline; only FLASH and IMMEDIATE interrupt when it passes.
    expect(PRECEDENCES.filter(interrupts)).toEqual(['FLASH', 'IMMEDIATE']);
  });

  it('says a deadline in minutes, or in hours when it is whole hours, in both languages', () => {
    expect(deadlineText(10 * MIN)).toBe('10 min');
    expect(deadlineText(30 * MIN, 'zh')).toBe('30 分钟');
    expect(deadlineText(90 * MIN)).toBe('90 min');
    expect(deadlineText(3 * 60 * MIN)).toBe('3 h');
    expect(deadlineText(6 * 60 * MIN, 'zh')).toBe('6 小时');
  });
});
