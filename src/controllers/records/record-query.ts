import Joi from 'joi';
import type { RecordQuery } from '../../dal/sync-record/sync-record.repository.js';
import { DIRECTIONS, OBJECT_KEYS } from '../../sync/keys.js';

/** The log filters shared by the list and the export. */
export const recordFilters = {
  object: Joi.string()
    .valid(...OBJECT_KEYS)
    .label('object'),
  direction: Joi.string()
    .valid(...DIRECTIONS)
    .label('direction'),
  status: Joi.string().valid('synced', 'failed', 'skipped', 'waiting', 'pending').label('status'),
  from: Joi.date().iso().label('from'),
  to: Joi.date().iso().min(Joi.ref('from')).label('to'),
  q: Joi.string().trim().max(100).allow('').label('q'),
};

export const toRecordQuery = (v: RecordQuery & { q?: string }): RecordQuery => ({
  ...(v.object ? { object: v.object } : {}),
  ...(v.direction ? { direction: v.direction } : {}),
  ...(v.status ? { status: v.status } : {}),
  ...(v.from ? { from: v.from } : {}),
  ...(v.to ? { to: v.to } : {}),
  ...(v.q ? { q: v.q } : {}),
});
