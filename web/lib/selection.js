/**
 * The people chosen for a bulk change (R19): their ids with their names, at most BULK_LIMIT.
 * A selection never changes: every change makes a new one, so that a component sees that it
 * changed by comparing it with the one it was handed.
 *
 *   let selection = new Selection();
 *   selection = selection.with([{ id, name }]);
 *   selection = selection.without([id]);
 */

import { BULK_LIMIT } from './api.js';

export class Selection {
  #people;

  /**
   * `allOf`: the lists (by a key of the page's choosing) whose every matching person was
   * selected at once ("Select all N matching"); `capped`: people were left out because a
   * bulk change takes at most BULK_LIMIT.
   */
  constructor(people = new Map(), { allOf = new Set(), capped = false } = {}) {
    this.#people = people;
    this.allOf = allOf;
    this.capped = capped;
  }

  get size() {
    return this.#people.size;
  }

  /** The ids, in the order they were selected. */
  get ids() {
    return [...this.#people.keys()];
  }

  has(id) {
    return this.#people.has(id);
  }

  /**
   * Adds `people` (`{ id, name }`) up to the limit. `allOf`: they are every person matching
   * that list; `more`: more matched than were handed (also left out).
   */
  with(people, { allOf = null, more = false } = {}) {
    const next = new Map(this.#people);
    let capped = this.capped || more;
    for (const { id, name } of people) {
      if (next.has(id)) continue;
      if (next.size >= BULK_LIMIT) {
        capped = true;
        continue;
      }
      next.set(id, name);
    }
    const lists = allOf === null ? this.allOf : new Set([...this.allOf, allOf]);
    return new Selection(next, { allOf: lists, capped });
  }

  /** Takes `ids` out; no list is then selected whole any longer. */
  without(ids) {
    const next = new Map(this.#people);
    for (const id of ids) next.delete(id);
    return new Selection(next);
  }

  /** The same people, no longer counted as every match of a list (the filters changed). */
  unscoped() {
    if (this.allOf.size === 0) return this;
    return new Selection(this.#people, { capped: this.capped });
  }
}
