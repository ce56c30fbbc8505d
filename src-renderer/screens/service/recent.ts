/**
 * The services an operator chose last, newest first, kept in this workstation's local storage
 * under the operator's id (one list per operator on a shared counter; no personal data: only
 * catalogue keys). At most 8.
 */
const MAX = 8;
const keyOf = (operatorId: string) => `qabyldau.recentServices.${operatorId}`;

export function recentServices(operatorId: string): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(keyOf(operatorId)) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function rememberService(operatorId: string, key: string): void {
  const next = [key, ...recentServices(operatorId).filter((k) => k !== key)].slice(0, MAX);
  localStorage.setItem(keyOf(operatorId), JSON.stringify(next));
}
