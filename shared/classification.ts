// Classification markings: which level a marking names, and so which colour its banner takes (US marking
// conventions: green, blue, red, orange). The colours themselves live in the stylesheets, one class per level
// (the CSP forbids inline styles); every console derives that class from classificationLevel alone.

export const CLASSIFICATION_LEVELS = ['unclassified', 'confidential', 'secret', 'top-secret', 'other'] as const;
export type ClassificationLevel = (typeof CLASSIFICATION_LEVELS)[number];

/** The marking of a new exercise unless the trainer writes another. */
export const EXERCISE_MARKING = 'UNCLASSIFIED // EXERCISE';

/** Shown where an exercise has no marking: a console must not invent one. */
export const NO_MARKING = 'NO CLASSIFICATION LINE';

/**
 * The level a marking names, by whole words in any case: "TOP SECRET" before "SECRET", and "UNCLASSIFIED"
 * before the levels it may qualify ("UNCLASSIFIED // CONFIDENTIAL SOURCE"). A marking that names no level
 * (none at all, "RESTRICTED", a typo) is 'other', a neutral colour: showing it in the unclassified green
 * would claim a level nobody set.
 */
export function classificationLevel(marking: string): ClassificationLevel {
  const m = marking.toUpperCase();
  if (/\bTOP\s+SECRET\b/.test(m)) return 'top-secret';
  if (/\bUNCLASSIFIED\b/.test(m)) return 'unclassified';
  if (/\bSECRET\b/.test(m)) return 'secret';
  if (/\bCONFIDENTIAL\b/.test(m)) return 'confidential';
  return 'other';
}

/** The text of a classification banner: the marking as written, or NO_MARKING when there is none. */
export function markingText(marking: string): string {
  return marking.trim() || NO_MARKING;
}
