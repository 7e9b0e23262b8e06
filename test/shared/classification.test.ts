// Classification markings: the level (and so the banner colour) each console derives from a marking, with
// one fallback for markings that name no level.
import { describe, expect, it } from 'vitest';
import {
  CLASSIFICATION_LEVELS,
  EXERCISE_MARKING,
  NO_MARKING,
  classificationLevel,
  markingText,
} from '../../shared/classification.js';

describe('classificationLevel', () => {
  it.each([
    ['UNCLASSIFIED // EXERCISE', 'unclassified'],
    ['Unclassified//FOUO', 'unclassified'],
    ['CONFIDENTIAL', 'confidential'],
    ['confidential // rel to usa, chn', 'confidential'],
    ['SECRET//NOFORN', 'secret'],
    ['SECRET', 'secret'],
    ['TOP SECRET//SCI', 'top-secret'],
    ['top  secret', 'top-secret'],
  ] as const)('%s is %s', (marking, level) => {
    expect(classificationLevel(marking)).toBe(level);
  });

  it('lets UNCLASSIFIED win over a level it qualifies, and TOP SECRET over SECRET', () => {
    expect(classificationLevel('UNCLASSIFIED // CONFIDENTIAL SOURCE REMOVED')).toBe('unclassified');
    expect(classificationLevel('UNCLASSIFIED // NOT SECRET')).toBe('unclassified');
    expect(classificationLevel('SECRET // TOP SECRET ANNEX')).toBe('top-secret');
  });

  it('matches whole words only', () => {
    expect(classificationLevel('SECRETARIAT BRIEFING')).toBe('other');
    expect(classificationLevel('TOPSECRET')).toBe('other');
    expect(classificationLevel('NONCONFIDENTIAL')).toBe('other');
  });

  it('has one fallback, other, for no marking or one that names no level: never the unclassified green', () => {
    for (const marking of ['', '   ', 'EXERCISE EXERCISE EXERCISE', 'RESTRICTED', 'UNCLASIFIED'])
      expect(classificationLevel(marking), marking).toBe('other');
    expect(CLASSIFICATION_LEVELS).toContain('other');
  });

  it('classifies the default exercise marking as unclassified', () => {
    expect(classificationLevel(EXERCISE_MARKING)).toBe('unclassified');
  });
});

describe('markingText', () => {
  it('shows the marking as written, and says so when there is none', () => {
    expect(markingText('SECRET//NOFORN')).toBe('SECRET//NOFORN');
    expect(markingText('')).toBe(NO_MARKING);
    expect(markingText('  ')).toBe(NO_MARKING);
    expect(NO_MARKING).not.toMatch(/UNCLASSIFIED/);
  });
});
