// Reading request input in the HTTP adapters: bodies arrive unchecked, and every field is checked where it
// is used, with BAD_REQUEST naming it.
import type { Request } from 'express';
import { HotlineError } from '../shared/errors.js';
import type { Unchecked } from '../shared/http-api.js';
import { LIMITS } from '../shared/items.js';

export function str(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    throw new HotlineError('BAD_REQUEST', `${name} is required.`);
  return value;
}

/** The JSON body's fields, not yet checked; a missing body or an array has none. */
export function fields<T>(req: Request): Unchecked<T> {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Unchecked<T>) : {};
}

/** A trainer's display name, trimmed: 1 to 80 characters. */
export function trainerNameOf(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length === 0 || name.length > LIMITS.operator)
    throw new HotlineError('BAD_REQUEST', `name must be 1 to ${LIMITS.operator} characters.`);
  return name;
}
