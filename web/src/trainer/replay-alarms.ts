// The alarms the relay wrote into the log itself (alarm and revocation entries, a link test missed, a call
// request expired), as the live view and the replay show them. The overdue alarms of acknowledgement deadlines, which the log does not hold but the
// clock raises, are the trainer's deadlines.ts, shared by both.
import type { Applied } from '../../../shared/chain.js';
import type { TrainerAlarm } from './deadlines.js';
import { dataText, duration } from './format.js';

const time = (iso: string) => Date.parse(iso);

/**
 * Relay-authored alarms found in the log itself: alarm entries, key revocations, link tests missed and call
 * requests expired. `name` turns a station id into its display name; `refIdx` finds the entry of the link
 * test or call request one of them refers to, when the caller knows it.
 */
export function logAlarm(
  applied: Pick<Applied, 'entry'>,
  name: (station: string) => string = (s) => s,
  refIdx: (ref: string) => number | undefined = () => undefined,
): TrainerAlarm | undefined {
  const { entry } = applied;
  const data = entry.data ?? {};
  if (entry.kind === 'link-missed' || entry.kind === 'call-expired') {
    const ref = refIdx(dataText(data, 'ref'));
    const of = ref === undefined ? '' : ` (entry ${ref})`;
    const link = entry.kind === 'link-missed';
    const station = dataText(data, link ? 'to' : 'awaiting');
    return {
      id: `${link ? 'link' : 'call'}:${entry.idx}`,
      at: time(entry.at),
      kind: link ? 'link' : 'call',
      code: link ? 'LINK_TEST_MISSED' : 'CALL_EXPIRED',
      message: link
        ? `No console of ${name(station)} answered the link test${of} in time (entry ${entry.idx})`
        : `${name(station)} did not answer the call request${of} within ${duration(Number(data['windowMs']))} of line time (entry ${entry.idx})`,
      idx: entry.idx,
      station,
    };
  }
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
