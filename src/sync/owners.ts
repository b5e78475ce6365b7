/**
 * Owners follow the employee bindings (§1.4): an ERP → CRM record takes the CRM user bound to its
 * ERP salesperson, else the tenant's default owner with a warning; a CRM → ERP record takes the
 * ERP employee bound to its CRM owner, else none with a warning.
 */
export interface Owners {
  crmOwnerOf(erpEmpId: string | null): { ownerId: string; warning: string | null };
  erpEmployeeOf(crmUserId: string | null): { empId: string | null; warning: string | null };
}

export function owners(
  maps: { crmByErp: ReadonlyMap<string, string>; erpByCrm: ReadonlyMap<string, string> },
  defaultOwnerId: string,
): Owners {
  return {
    crmOwnerOf(erpEmpId) {
      const bound = erpEmpId ? maps.crmByErp.get(erpEmpId) : undefined;
      if (bound) return { ownerId: bound, warning: null };
      return {
        ownerId: defaultOwnerId,
        warning: erpEmpId
          ? '精斗云业务员未绑定纷享员工，负责人取默认负责人'
          : '精斗云记录没有业务员，负责人取默认负责人',
      };
    },
    erpEmployeeOf(crmUserId) {
      const bound = crmUserId ? maps.erpByCrm.get(crmUserId) : undefined;
      if (bound) return { empId: bound, warning: null };
      return { empId: null, warning: '纷享负责人未绑定精斗云职员，精斗云业务员留空' };
    },
  };
}
