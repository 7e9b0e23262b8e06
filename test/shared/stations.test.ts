// Station names: display names from the exercise, short names, the Chinese names of the default stations.
import { describe, expect, it } from 'vitest';
import { exerciseDef, type ExerciseDef } from '../../shared/items.js';
import { DEFAULT_STATIONS, LANG_NAMES, shortName, stationName } from '../../shared/stations.js';

/** The default exercise, and one whose names the trainer wrote: a plain one and one with two separators. */
const dtl = exerciseDef.parse({
  id: 'dtl',
  title: 'Defense Telephone Link',
  classification: '',
  stations: DEFAULT_STATIONS,
});
const north = { id: 'north', name: 'North Fleet · Operations Centre · Watch 2', lang: 'en' } as const;
const def: ExerciseDef = { ...dtl, stations: [{ ...DEFAULT_STATIONS[0], name: 'Beijing' }, north] };

describe('station names', () => {
  it('takes the display name from the exercise, and the short name before the first " · "', () => {
    expect(stationName(def, 'north')).toBe('North Fleet · Operations Centre · Watch 2');
    expect(shortName(def, 'north')).toBe('North Fleet');
    expect(shortName(def, 'beijing')).toBe('Beijing');
  });

  it('falls back to the id for a station the definition does not know, or without a definition', () => {
    expect(stationName(def, 'south')).toBe('south');
    expect(shortName(undefined, 'washington')).toBe('washington');
  });

  it('names the default stations in Chinese when Chinese is asked for, and only then', () => {
    expect(stationName(dtl, 'beijing', 'zh')).toBe('北京 · 中华人民共和国国防部');
    expect(shortName(dtl, 'beijing', 'zh')).toBe('北京');
    expect(shortName(dtl, 'washington', 'zh')).toBe('华盛顿');
    expect(shortName(dtl, 'washington', 'en')).toBe('Washington');
    expect(stationName(dtl, 'beijing')).toBe('Beijing · Ministry of National Defense');
    // A station without a Chinese name keeps the exercise's name in a Chinese console.
    expect(shortName(def, 'north', 'zh')).toBe('North Fleet');
  });

  it('finds nothing on Object.prototype for an id such as "constructor"', () => {
    expect(stationName(undefined, 'constructor', 'zh')).toBe('constructor');
    expect(stationName(undefined, 'toString', 'zh')).toBe('toString');
  });

  it('has default stations that make a valid exercise (parsed above), one per console language', () => {
    expect(dtl.stations).toEqual(DEFAULT_STATIONS);
    expect(DEFAULT_STATIONS.map((s) => s.lang).sort()).toEqual(Object.keys(LANG_NAMES).sort());
  });
});
