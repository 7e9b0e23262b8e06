// What every screen is: an element, and what to stop when it goes away. And what an exercise's tabs share.
import type { ExerciseDef } from '../../../shared/items.js';
import type { Api, ExerciseDetail } from './api.js';
import type { Session } from './auth.js';
import type { Observer } from './observer.js';

export interface View {
  el: HTMLElement;
  destroy?(): void;
}

export interface ExerciseContext {
  def: ExerciseDef;
  detail: ExerciseDetail;
  api: Api;
  session: Session;
  /** The live feed, running for as long as the exercise is open. */
  observer: Observer;
}
