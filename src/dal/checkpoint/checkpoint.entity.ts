import type { Direction, ObjectKey } from '../../sync/keys.js';

/** Where reading an object's source changes continues from, per tenant. */
export interface CheckpointEntity {
  /** "<tenantId>:<object>:<direction>" */
  _id: string;
  tenantId: string;
  object: ObjectKey;
  direction: Direction;
  /** Opaque to the engine; the object module writes and reads it (e.g. a window end in ms). */
  cursor: string | null;
  /** The first full import of this object finished (initialisation is over for it). */
  initialDone: boolean;
  updatedAt: Date;
}
