import { describe, expect, it } from 'vitest';
import { idParams, pathId } from './id-params';

describe('path ids', () => {
  it('takes a positive whole number from the path text', () => {
    expect(idParams.parse({ id: '42' })).toEqual({ id: 42 });
  });

  it.each([
    ['abc', 'taskId must be a whole number'],
    ['', 'taskId must be positive'],
    ['1.5', 'taskId must be a whole number'],
    ['0', 'taskId must be positive'],
    ['-3', 'taskId must be positive'],
  ])('refuses %j naming the parameter: %s', (text, message) => {
    const result = pathId('taskId').safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});
