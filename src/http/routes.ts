import { Router } from 'express';
import type { AppContext } from '../app-context.js';
import { getHealthz } from '../controllers/ops/get-healthz.js';
import { getMetrics } from '../controllers/ops/get-metrics.js';
import { getCrmEvent } from '../controllers/crm-events/get-crm-event.js';
import { listCrmEvents } from '../controllers/crm-events/list-crm-events.js';
import { getEntry } from '../controllers/fxiaoke/get-entry.js';
import { postCallback } from '../controllers/fxiaoke/post-callback.js';
import { postHook } from '../controllers/fxiaoke/post-hook.js';
import { getSession } from '../controllers/session/get-session.js';
import { postLogout } from '../controllers/session/post-logout.js';
import { getJdyConnection } from '../controllers/jdy/get-connection.js';
import { postJdyConnect } from '../controllers/jdy/post-connect.js';
import { postJdyLogin } from '../controllers/jdy/post-login.js';
import { postJdyReset } from '../controllers/jdy/post-reset.js';
import { getJdyEmployees } from '../controllers/jdy/get-employees.js';
import { getCrmUsers } from '../controllers/crm/get-crm-users.js';
import { deleteBinding } from '../controllers/bindings/delete-binding.js';
import { exportBindings } from '../controllers/bindings/export-bindings.js';
import { getBindingTemplate } from '../controllers/bindings/get-template.js';
import { listBindings } from '../controllers/bindings/list-bindings.js';
import { postBindingsFromJdy } from '../controllers/bindings/post-from-jdy.js';
import { postBindingsImport } from '../controllers/bindings/post-import.js';
import { putBinding } from '../controllers/bindings/put-binding.js';
import { getPresets } from '../controllers/setup/get-presets.js';
import { getSchedule } from '../controllers/setup/get-schedule.js';
import { getSettings } from '../controllers/setup/get-settings.js';
import { postCrmFieldsCheck } from '../controllers/setup/post-crm-fields-check.js';
import { postEnablePreset } from '../controllers/setup/post-enable-preset.js';
import { putSchedule } from '../controllers/setup/put-schedule.js';
import { putSettings } from '../controllers/setup/put-settings.js';
import { getOverview } from '../controllers/sync/get-overview.js';
import { getRun } from '../controllers/sync/get-run.js';
import { listRuns } from '../controllers/sync/list-runs.js';
import { postSyncRun } from '../controllers/sync/post-sync-run.js';
import { deleteMapping } from '../controllers/records/delete-mapping.js';
import { exportRecords } from '../controllers/records/export-records.js';
import { getRecord } from '../controllers/records/get-record.js';
import { listRecords } from '../controllers/records/list-records.js';
import { postRetry } from '../controllers/records/post-retry.js';
import { csrfGuard, loadSession, requireAdmin, requireSession } from './session.js';

/** Every endpoint of the plugin, one line each; the handlers live one per file in controllers/. */
export function routes(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', getHealthz(ctx));
  r.get('/metrics', getMetrics(ctx));

  // Entry points called by the CRM (authenticated by their own signatures).
  r.post('/fxiaoke/callback', postCallback(ctx));
  r.get('/app/entry', getEntry(ctx));
  r.post('/hooks/fxiaoke/:tenantId', postHook(ctx));

  // The plugin API: the session of the cookie, and the CSRF check on every state-changing method.
  r.use('/api', loadSession(ctx), csrfGuard(ctx));
  const admin = [requireSession, requireAdmin];
  r.get('/api/session', requireSession, getSession(ctx));
  r.post('/api/logout', requireSession, postLogout(ctx));
  r.get('/api/crm-events', ...admin, listCrmEvents(ctx));
  r.get('/api/crm-events/:id', requireSession, getCrmEvent(ctx));

  r.post('/api/jdy/login', ...admin, postJdyLogin(ctx));
  r.post('/api/jdy/connect', ...admin, postJdyConnect(ctx));
  r.post('/api/jdy/reset', ...admin, postJdyReset(ctx));
  r.get('/api/jdy/connection', requireSession, getJdyConnection(ctx));
  r.get('/api/jdy/employees', requireSession, getJdyEmployees(ctx));
  r.get('/api/crm-users', requireSession, getCrmUsers(ctx));

  r.post('/api/bindings/from-jdy', ...admin, postBindingsFromJdy(ctx));
  r.get('/api/bindings', requireSession, listBindings(ctx));
  r.get('/api/bindings/template', requireSession, getBindingTemplate());
  r.get('/api/bindings/export', requireSession, exportBindings(ctx));
  r.post('/api/bindings/import', ...admin, postBindingsImport(ctx));
  r.put('/api/bindings/:id', ...admin, putBinding(ctx));
  r.delete('/api/bindings/:id', ...admin, deleteBinding(ctx));

  r.get('/api/presets', requireSession, getPresets(ctx));
  r.post('/api/presets/:key/enable', ...admin, postEnablePreset(ctx));
  r.post('/api/crm-fields/check', ...admin, postCrmFieldsCheck(ctx));
  r.get('/api/schedule', requireSession, getSchedule(ctx));
  r.put('/api/schedule', ...admin, putSchedule(ctx));
  r.get('/api/settings', requireSession, getSettings(ctx));
  r.put('/api/settings', ...admin, putSettings(ctx));

  r.post('/api/sync/run', ...admin, postSyncRun(ctx));
  r.get('/api/sync/runs', requireSession, listRuns(ctx));
  r.get('/api/sync/runs/:runId', requireSession, getRun(ctx));
  r.get('/api/overview', requireSession, getOverview(ctx));

  r.get('/api/records', requireSession, listRecords(ctx));
  r.get('/api/records/export', requireSession, exportRecords(ctx));
  r.get('/api/records/:id', requireSession, getRecord(ctx));
  r.post('/api/records/:id/retry', ...admin, postRetry(ctx));
  r.delete('/api/records/:id/mapping', ...admin, deleteMapping(ctx));
  return r;
}
