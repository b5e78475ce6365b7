import type { ErpProduct } from '../../erp/records.js';
import { FX, where } from '../../fxiaoke/client/index.js';
import { isFxCode } from '../../fxiaoke/client/errors.js';
import { fromStoredPayload } from '../../db/payload.js';
import { IntegrationError, isIntegrationError } from '../../lib/errors.js';
import type { SyncObjectModule } from '../object-module.js';
import { crmFieldsOf } from './crm-fields.js';
import { findLive, findLiveMany } from './crm-lookup.js';
import { crmRef, erpChanges, erpFetch } from './erp-source.js';
import { mapProduct, type ProductFields } from './mapping.js';

const OBJECT = 'ProductObj';

/**
 * 产品: ERP products → CRM products, matched by 产品编码; categories and units are synced first;
 * 上下架 follows enabled; a deleted ERP product is voided, then deleted when the CRM allows it.
 */
export const productModule: SyncObjectModule<ErpProduct, ProductFields> = {
  key: 'product',
  direction: 'jdy_to_crm',
  dependsOn: ['productCategory', 'unit'],
  enabled: () => true,
  readChanges: (env, cursor) => erpChanges(env.erp.products, cursor),
  fetch: (env, id) => erpFetch(env.erp.products, id),
  async map(env, r) {
    const p = r.data;
    if (!p.categoryId) return mapProduct(p, { categoryId: null, unitId: null, brandPreset: false });
    const [categoryId, unitId] = [
      await crmRef(env, 'productCategory', p.categoryId),
      await crmRef(env, 'unit', p.unitId),
    ];
    return mapProduct(p, { categoryId, unitId, brandPreset: Boolean(env.settings.presets.brand) });
  },
  match: (env, _r, mapped) => findLive(env, OBJECT, where.eq('product_code', mapped.product_code)),
  matchMany: (env, records) => findLiveMany(env, OBJECT, 'product_code', records, (m) => m.product_code),
  async write(env, _r, mapped, existingId, previous) {
    const { product_status, brand, ...fields } = mapped;
    const data = {
      ...fields,
      product_status: await env.crm.data.optionValue(OBJECT, 'product_status', product_status.label),
      ...(brand !== undefined ? { [crmFieldsOf(env).brand]: brand } : {}),
    };
    if (!existingId) {
      const res = await env.crm.data.createSafely(
        OBJECT,
        data,
        { product_code: mapped.product_code },
        { triggerWorkFlow: false },
      );
      return { targetId: res.dataId, action: res.recovered ? 'linked' : 'created', request: data };
    }
    // Units are maintained in the ERP: a unit changed by hand in the CRM is reported, not overwritten.
    const lastUnit = lastWrittenUnit(previous);
    if (lastUnit) {
      const current = await env.crm.data.get(OBJECT, existingId);
      if (current.unit !== undefined && current.unit !== lastUnit && current.unit !== mapped.unit) {
        throw handChanged();
      }
    }
    await env.crm.data.update(OBJECT, existingId, data, { triggerWorkFlow: false });
    return { targetId: existingId, action: 'updated', request: data };
  },
  async remove(env, _r, mapping) {
    try {
      await env.crm.data.invalid(OBJECT, mapping.crmId, { triggerWorkFlow: false });
    } catch (error) {
      // Deleted in the CRM already (by a person, or by an earlier try whose answer was lost).
      if (isFxCode(error, FX.NOT_FOUND)) return { targetId: mapping.crmId, action: 'deleted' };
      throw error;
    }
    try {
      await env.crm.data.delete(OBJECT, [mapping.crmId], { triggerWorkFlow: false });
      return { targetId: mapping.crmId, action: 'deleted' };
    } catch (error) {
      if (!isIntegrationError(error) || error.errorClass !== 'data') throw error;
      return {
        targetId: mapping.crmId,
        action: 'voided',
        warning: `精斗云已删除该商品；纷享产品已作废，但未能删除：${error.message}`,
      };
    }
  },
};

function lastWrittenUnit(
  previous: { attempts: Array<{ request: string | null; error: string | null }> } | null,
): string | null {
  const written = [...(previous?.attempts ?? [])].reverse().find((a) => a.error === null && a.request);
  const request = fromStoredPayload<{ unit?: string }>(written?.request);
  return request?.unit ?? null;
}

/** A data failure: the CRM unit was changed by hand since the plugin wrote it. */
const handChanged = (): IntegrationError =>
  new IntegrationError({
    system: 'crm',
    errorClass: 'data',
    code: 'unit_changed_by_hand',
    message: '纷享中该产品的单位已被手工修改，与精斗云不一致；请在纷享恢复单位，或在精斗云修改后重新同步',
  });
