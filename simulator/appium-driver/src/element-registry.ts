/**
 * Element ids handed to the client, each standing for a node of one window
 * generation of one app. After a change of window (screen, dialog, popup),
 * or once the node is gone from its window, the id is stale.
 */
import { errors } from '@appium/base-driver';
import type { VirtualApp } from './app/virtual-app.ts';
import { descendantsAndSelf, type UiNode } from './ui-node.ts';

interface Entry {
  app: VirtualApp;
  generation: number;
  key: string;
}

/** The element ids of a session. */
export class ElementRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #ids = new Map<string, string>();
  readonly #apps = new Map<VirtualApp, number>();
  #next = 1;

  /** The id of a node of the app's current generation; the same node keeps the same id. */
  idOf(app: VirtualApp, node: UiNode): string {
    const lookup = `${this.#appNumber(app)}|${app.generation}|${node.key}`;
    let id = this.#ids.get(lookup);
    if (id === undefined) {
      id = `estock-element-${this.#next++}`;
      this.#ids.set(lookup, id);
      this.#entries.set(id, { app, generation: app.generation, key: node.key });
    }
    return id;
  }

  /**
   * The node an id stands for, in the window drawn now. Throws
   * NoSuchElementError for an id never given, StaleElementReferenceError
   * when its window changed or the node is gone.
   */
  resolve(app: VirtualApp, id: string, window: UiNode): UiNode {
    const entry = this.#entries.get(id);
    if (entry === undefined) throw new errors.NoSuchElementError(`element ${id} was never found in this session`);
    if (entry.app !== app || entry.generation !== app.generation) {
      throw new errors.StaleElementReferenceError(`element ${id} (${entry.key}) belongs to a window no longer ` +
        'on screen; find it again');
    }
    const node = descendantsAndSelf(window).find((candidate) => candidate.key === entry.key);
    if (node === undefined) {
      throw new errors.StaleElementReferenceError(`element ${id} (${entry.key}) is no longer in the hierarchy; ` +
        'find it again');
    }
    return node;
  }

  #appNumber(app: VirtualApp): number {
    let number = this.#apps.get(app);
    if (number === undefined) {
      number = this.#apps.size + 1;
      this.#apps.set(app, number);
    }
    return number;
  }
}
