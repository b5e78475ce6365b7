import { JdyResource } from './resource.js';
import type { JdySession } from './transport.js';
import type {
  JdyBrandRow,
  JdyBrandSave,
  JdyCategoryRow,
  JdyCategorySave,
  JdyMaterialDetail,
  JdyMaterialRow,
  JdyMaterialSave,
  JdyUnitRow,
  JdyUnitSave,
} from './types.js';
import type { JdyCategoryFilter } from './customers.js';

export type JdyMaterialFilter = {
  search?: string;
  enable?: '1' | '0' | '-1';
  parent?: readonly string[];
  ids?: readonly string[];
};
export type JdyBrandFilter = { search?: string; enable?: '1' | '0' | '-1' };
export type JdyUnitFilter = { search?: string };

export type JdyMaterials = JdyResource<JdyMaterialRow, JdyMaterialDetail, JdyMaterialSave, JdyMaterialFilter>;
export type JdyMaterialGroups = JdyResource<
  JdyCategoryRow,
  JdyCategoryRow,
  JdyCategorySave,
  JdyCategoryFilter
>;
export type JdyBrands = JdyResource<JdyBrandRow, JdyBrandRow, JdyBrandSave, JdyBrandFilter>;
export type JdyUnits = JdyResource<JdyUnitRow, JdyUnitRow, JdyUnitSave, JdyUnitFilter>;

/** Products: the list defaults to enabled only on the server, so `enable=-1` is always sent. */
export const materials = (session: JdySession): JdyMaterials =>
  new JdyResource(session, {
    entityNumber: 'bd_material',
    path: '/jdy/v2/bd/material',
    detailPath: '/jdy/v2/bd/material_detail',
    numberField: 'number',
    hasEnableFilter: true,
  });

export const materialGroups = (session: JdySession): JdyMaterialGroups =>
  new JdyResource(session, {
    entityNumber: 'bd_materialgroup',
    path: '/jdy/v2/bd/material_group',
    detailPath: '/jdy/v2/bd/material_group_detail',
    numberField: 'number',
    hasEnableFilter: false,
  });

export const brands = (session: JdySession): JdyBrands =>
  new JdyResource(session, {
    entityNumber: 'bd_brand',
    path: '/jdy/v2/bd/material_brand',
    detailPath: '/jdy/v2/bd/material_brand_detail',
    numberField: 'number',
    hasEnableFilter: true,
  });

/** Units: `group_*` keys exist only for units in a unit group (§5.5). */
export const units = (session: JdySession): JdyUnits =>
  new JdyResource(session, {
    entityNumber: 'bd_measureunits_new',
    path: '/jdy/v2/bd/measure_unit',
    detailPath: '/jdy/v2/bd/measure_unit_detail',
    numberField: 'number',
    hasEnableFilter: false,
  });
