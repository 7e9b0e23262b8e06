// The operator console reads in Chinese at Beijing: every refusal or alarm a console can meet on its own
// items or its link has a Chinese text, not the relay's English message.
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import { ERRORS_ZH } from '../../web/src/console/strings.js';

const CONSOLE_CODES: ErrorCode[] = [
  'CHAIN_BROKEN',
  'TRUNCATED',
  'BAD_CHECKPOINT',
  'BAD_SIGNATURE',
  'KEY_REVOKED',
  'SEQ_GAP',
  'SEQ_CONFLICT',
  'ENROLMENT_CODE_INVALID',
  'ENROLMENT_CODE_EXPIRED',
  'ENROLMENT_CODE_USED',
  'STORE_UNAVAILABLE',
  'SHUTTING_DOWN',
  'CLOCK_SKEW',
  'TOO_MANY_REJECTIONS',
  'RATE_LIMITED',
  'TOO_MANY_CONNECTIONS',
  'SLOW_CONSUMER',
  'EXERCISE_ENDED',
  'COMMIT_MISMATCH',
];

describe('the operator console in Chinese', () => {
  it.each(CONSOLE_CODES)('has a Chinese text for %s', (code) => {
    expect(ERRORS_ZH[code]).toMatch(/[\u4e00-\u9fff]/);
  });
});
