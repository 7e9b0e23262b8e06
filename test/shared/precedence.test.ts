// The precedence rules every console applies: urgency order, labels, and the ACP 121 acknowledgement
// deadlines (FLASH 10 min, IMMEDIATE 30 min; PRIORITY and ROUTINE raise no alarm yet).
import { describe, expect, it } from 'vitest';
import { PRECEDENCES } from '../../shared/items.js';
import {
  ACK_DEADLINE_MS,
  ACK_DEADLINES,
  ackDueAt,
  ackDueOf,
  byUrgency,
  deadlineText,
  interrupts,
  isPrecedence,
  overdueAt,
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
  it('applies the ACP 121 objectives: FLASH 10 min, IMMEDIATE 30 min, none for PRIORITY and ROUTINE', () => {
    expect(ACK_DEADLINE_MS).toEqual({ FLASH: 10 * MIN, IMMEDIATE: 30 * MIN });
    expect(ACK_DEADLINES).toEqual([
      ['FLASH', 10 * MIN],
      ['IMMEDIATE', 30 * MIN],
    ]);
  });

  it('counts from the acceptance time', () => {
    expect(ackDueAt('FLASH', 1_000)).toBe(1_000 + 10 * MIN);
    expect(ackDueAt('IMMEDIATE', 0)).toBe(30 * MIN);
    expect(ackDueAt('PRIORITY', 0)).toBeUndefined();
    expect(ackDueAt('ROUTINE', 0)).toBeUndefined();
  });

  it('counts a message deadline from its acceptance (the entry time), never from the claimed sentAt', () => {
    const accepted = '2026-01-01T00:00:00.000Z';
    const t = Date.parse(accepted);
    // The sender's clock claims five minutes later; the deadline does not move.
    const flash = { precedence: 'FLASH' as const, sentAt: '2026-01-01T00:05:00.000Z', states: { accepted } };
    expect(ackDueOf(flash)).toBe(t + 10 * MIN);
    expect(ackDueOf({ ...flash, precedence: 'IMMEDIATE' })).toBe(t + 30 * MIN);
    expect(ackDueOf({ ...flash, precedence: 'ROUTINE' })).toBeUndefined();
    // Not in the log yet: no acceptance, so no deadline (the claimed sentAt is not a stand-in).
    expect(ackDueOf({ ...flash, states: {} })).toBeUndefined();
  });

  it('is overdue once the deadline passes without an acknowledgement, and stays so if it came late', () => {
    expect(overdueAt('FLASH', 0, undefined, 10 * MIN - 1)).toBe(false);
    expect(overdueAt('FLASH', 0, undefined, 10 * MIN)).toBe(true);
    expect(overdueAt('FLASH', 0, 9 * MIN, 20 * MIN)).toBe(false);
    expect(overdueAt('FLASH', 0, 10 * MIN, 20 * MIN)).toBe(false);
    expect(overdueAt('FLASH', 0, 11 * MIN, 20 * MIN)).toBe(true);
    expect(overdueAt('IMMEDIATE', 0, undefined, 29 * MIN)).toBe(false);
    expect(overdueAt('IMMEDIATE', 0, undefined, 31 * MIN)).toBe(true);
    expect(overdueAt('ROUTINE', 0, undefined, 1e9)).toBe(false);
    expect(overdueAt('PRIORITY', 0, undefined, 1e9)).toBe(false);
  });

  it('treats an acknowledgement after `now` as not yet made (a replay before it was logged)', () => {
    expect(overdueAt('FLASH', 0, 5 * MIN, 12 * MIN)).toBe(false);
    expect(overdueAt('FLASH', 0, 15 * MIN, 12 * MIN)).toBe(true);
  });

  it('says a deadline in minutes, or in hours when it is whole hours, in both languages', () => {
    expect(deadlineText(10 * MIN)).toBe('10 min');
    expect(deadlineText(30 * MIN, 'zh')).toBe('30 分钟');
    expect(deadlineText(90 * MIN)).toBe('90 min');
    expect(deadlineText(3 * 60 * MIN)).toBe('3 h');
    expect(deadlineText(6 * 60 * MIN, 'zh')).toBe('6 小时');
  });
});
