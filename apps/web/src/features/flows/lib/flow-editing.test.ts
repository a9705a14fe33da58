import { checkFlowDefinition, type FlowDefinition } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { connect, history, newComponent, removeComponent, replaceComponent } from './flow-editing';

describe('flow editing', () => {
  it('builds a flow that passes the shared checks, and undoes and redoes each edit', () => {
    let def: FlowDefinition = { start: null, components: [] };
    const menu = newComponent(def, 'menu', { x: 0, y: 0 });
    def = { start: menu.id, components: [menu] };
    const bye = newComponent(def, 'hangup', { x: 0, y: 100 });
    def = { ...def, components: [...def.components, bye] };
    expect(checkFlowDefinition(def).map((p) => p.field)).toEqual([
      'exits.key:1',
      'exits.key:2',
      'exits.timeout',
      'exits.invalid',
    ]);
    for (const exit of Object.keys(menu.exits)) def = connect(def, menu.id, exit, bye.id);
    expect(checkFlowDefinition(def)).toEqual([]);
    // Adding a key adds its exit (leading nowhere yet); removing the target clears exits to it.
    const more = replaceComponent(def, {
      ...def.components[0]!,
      settings: { ...menu.settings, choices: ['1', '2', '3'] },
    });
    expect(more.components[0]!.exits).toMatchObject({ 'key:3': null, 'key:1': bye.id });
    const removed = removeComponent(more, bye.id);
    expect(Object.values(removed.components[0]!.exits).every((v) => v === null)).toBe(true);

    let h = history({ past: [], present: def, future: [] }, { type: 'edit', definition: more });
    h = history(h, { type: 'edit', definition: removed });
    h = history(h, { type: 'undo' });
    expect(h.present).toBe(more);
    h = history(h, { type: 'undo' });
    expect(h.present).toBe(def);
    h = history(h, { type: 'undo' });
    expect(h.present).toBe(def);
    h = history(h, { type: 'redo' });
    expect(h.present).toBe(more);
    h = history(h, { type: 'amend', definition: removed });
    expect(h.future).toEqual([removed]);
  });

  it("a Queue's max wait and no agents exits may stay unwired; its full exit and max wait are checked, naming it", () => {
    let def: FlowDefinition = { start: null, components: [] };
    const queue = newComponent(def, 'queue', { x: 0, y: 0 });
    def = { start: queue.id, components: [{ ...queue, label: 'Sales line', settings: { queueId: 3 } }] };
    const bye = newComponent(def, 'hangup', { x: 0, y: 100 });
    def = { ...def, components: [...def.components, bye] };
    expect(checkFlowDefinition(def).map((p) => p.message)).toEqual([
      `Sales line (${queue.id}): the full exit leads nowhere`,
    ]);
    def = connect(def, queue.id, 'full', bye.id);
    expect(checkFlowDefinition(def)).toEqual([]);
    def = replaceComponent(def, { ...def.components[0]!, settings: { queueId: 3, maxWaitS: 0 } });
    expect(checkFlowDefinition(def)).toEqual([
      {
        componentId: queue.id,
        field: 'maxWaitS',
        message: `Sales line (${queue.id}): Max wait: at least 1 s`,
      },
    ]);
  });
});
