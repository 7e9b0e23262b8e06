// The alarms the relay wrote into the log itself (alarm and revocation entries), as the live view and the
// replay show them. The overdue alarms of acknowledgement deadlines, which the log does not hold but the
// clock raises, are the trainer's deadlines.ts, shared by both.
import type { Applied } from '../../../shared/chain.js';
import type { TrainerAlarm } from './deadlines.js';
import { dataText } from './format.js';

const time = (iso: string) => Date.parse(iso);

/** Relay-authored alarms found in the log itself: alarm entries and key revocations. */
export function logAlarm(applied: Pick<Applied, 'entry'>): TrainerAlarm | undefined {
  const { entry } = applied;
  const data = entry.data ?? {};
  if (entry.kind === 'alarm') {
    const code = typeof data['code'] === 'string' ? data['code'] : 'ALARM';
    const detail = Object.entries(data)
      .filter(([k]) => k !== 'code')
      .map(([k]) => `${k} ${dataText(data, k)}`)
      .join(', ');
    return {
      id: `log:${entry.idx}`,
      at: time(entry.at),
      kind: 'log',
      code,
      message: `Relay alarm at entry ${entry.idx}${detail ? `: ${detail}` : ''}`,
      idx: entry.idx,
    };
  }
  if (entry.kind === 'key-revoked') {
    const reason = typeof data['reason'] === 'string' ? data['reason'] : '';
    return {
      id: `revoked:${entry.idx}`,
      at: time(entry.at),
      kind: 'revoked',
      code: 'KEY_REVOKED',
      message: `Key ${String(data['kid'])} revoked${reason ? `: ${reason}` : ''}`,
      idx: entry.idx,
    };
  }
  return undefined;
}
