import type { LockRepository } from '../../dal/lock/lock.repository.js';

export interface LeaseTerms {
  locks: LockRepository;
  key: string;
  holder: string;
  leaseMs: number;
  now: () => Date;
}

/**
 * Runs `fn` holding a lease, renewed every third of its lifetime while `fn` lasts (work may
 * outlast the lease: a throttled page, a long batch of events), released after. Answers 'busy'
 * when someone else holds it. `onLost` hears of a renewal that found the lease taken.
 */
export async function withRenewedLease<T>(
  terms: LeaseTerms,
  fn: () => Promise<T>,
  onLost: () => void = () => undefined,
): Promise<{ value: T } | 'busy'> {
  const { locks, key, holder, leaseMs, now } = terms;
  if (!(await locks.acquire(key, holder, leaseMs, now()))) return 'busy';
  const renew = setInterval(() => {
    locks.extend(key, holder, leaseMs, now()).then(
      (held) => held || onLost(),
      () => undefined,
    );
  }, leaseMs / 3);
  try {
    return { value: await fn() };
  } finally {
    clearInterval(renew);
    await locks.release(key, holder).catch(() => undefined);
  }
}
