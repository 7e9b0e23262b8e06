// What every screen is: an element, and what to stop when it goes away. And what an exercise's tabs share.
import type { ExerciseDef } from '../../../shared/items.js';
import type { TrainerApi } from '../../../client/trainer-api.js';
import type { ExerciseDetail } from '../../../shared/http-api.js';
import type { Session } from './auth.js';
import type { Observer } from './observer.js';
import type { RunModel } from './run-model.js';

export interface View {
  el: HTMLElement;
  destroy?(): void;
}

export interface ExerciseContext {
  def: ExerciseDef;
  detail: ExerciseDetail;
  api: TrainerApi;
  session: Session;
  /** The live feed, running for as long as the exercise is open. */
  observer: Observer;
  /** The exercise's lifecycle, clock and MSEL as the relay reports them, kept current. */
  run: RunModel;
}
