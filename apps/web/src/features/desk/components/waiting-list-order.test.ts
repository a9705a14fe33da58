import { describe, expect, it } from 'vitest';
import { moveRow, movesFor } from './waiting-list-order';

describe('waiting list order', () => {
  it('moves a row down the screen (closer to being served) with one "up" per place', () => {
    expect(movesFor(4, 0, 2)).toEqual(['up', 'up']);
    expect(moveRow(['d', 'c', 'b', 'a'], 0, 2)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('moves a row up the screen (served later) with "down"', () => {
    expect(movesFor(4, 3, 1)).toEqual(['down', 'down']);
    expect(moveRow(['d', 'c', 'b', 'a'], 3, 1)).toEqual(['d', 'a', 'c', 'b']);
  });

  it('sends a row dropped on the bottom to the front of the queue in one move', () => {
    expect(movesFor(3, 0, 2)).toEqual(['top']);
    expect(moveRow(['c', 'b', 'a'], 0, 2)).toEqual(['b', 'a', 'c']);
  });

  it('asks nothing for a drop in place or outside the list', () => {
    expect(movesFor(3, 1, 1)).toEqual([]);
    expect(movesFor(3, 1, 3)).toEqual([]);
    expect(movesFor(3, -1, 0)).toEqual([]);
  });
});
