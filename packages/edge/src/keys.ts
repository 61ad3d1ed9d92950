import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiRole } from '@cordon/schemas';
import type { RateLimiter } from './rate-limit.ts';

/** Who is calling: resolved from the API key on every request. */
export interface Principal {
  keyId: string;
  name: string;
  role: ApiRole;
  /** The region subtree the key is limited to (public code), or null for everywhere. */
  region: string | null;
}

export interface CreatedKey extends Principal {
  /** The whole key, shown once: `ck_<id>_<secret>`. Only its hash is stored. */
  key: string;
}

interface StoredKey extends Principal {
  hash: string;
  revoked: boolean;
}

/** Where key records go: the admin log (packages/ingest/src/log/admin), which every process tails. */
export interface KeyRecordSink {
  append(record: ApiKeyRecord): Promise<void>;
}

/**
 * API keys, stored hashed as records of the admin log, not in ClickHouse: a
 * ClickHouse rebuild cannot lose them, and every process of a deployment
 * tails the log and calls `apply` for each record, so a key created or
 * revoked anywhere takes effect everywhere within the tail's poll (under
 * 2 s). The secret is 32 random bytes, so a plain SHA-256 is enough (no
 * password-stretching needed for a non-guessable secret).
 *
 * `verify` answers from memory only: a flood of bad keys costs nothing.
 */
export class KeyStore {
  private readonly cache = new Map<string, StoredKey & { createdAt: string; revokedAt: string | null }>();
  private bootstrapHash: string | null;
  /** Limits each key's request rate (requireRole asks it); none: unlimited. */
  readonly rateLimiter: RateLimiter | undefined;

  constructor(
    private readonly sink: KeyRecordSink,
    options: { bootstrapKey?: string | undefined; rateLimiter?: RateLimiter | undefined } = {},
  ) {
    this.bootstrapHash = options.bootstrapKey ? sha256(options.bootstrapKey) : null;
    this.rateLimiter = options.rateLimiter;
  }

  /**
   * Takes a record from the admin log. A revocation is final: a record of the
   * same key without it (an older state replayed, a migration racing a
   * revoke) never brings the key back.
   */
  apply(record: ApiKeyRecord): void {
    const known = this.cache.get(record.id);
    const revokedAt = known?.revokedAt ?? record.revokedAt;
    this.cache.set(record.id, {
      keyId: record.id,
      name: record.name,
      role: record.role,
      region: record.region,
      hash: record.hash,
      revoked: revokedAt !== null,
      createdAt: record.createdAt,
      revokedAt,
    });
  }

  async verify(token: string): Promise<Principal | undefined> {
    if (this.bootstrapHash && safeEqual(sha256(token), this.bootstrapHash)) {
      return { keyId: 'bootstrap', name: 'bootstrap admin key', role: 'admin', region: null };
    }
    const match = /^ck_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return undefined;
    const [, id, secret] = match as unknown as [string, string, string];
    const stored = this.cache.get(id);
    if (!stored || stored.revoked || !safeEqual(sha256(secret), stored.hash)) return undefined;
    return { keyId: stored.keyId, name: stored.name, role: stored.role, region: stored.region };
  }

  async create(input: { name: string; role: ApiRole; region?: string | null | undefined }): Promise<CreatedKey> {
    const id = randomBytes(10).toString('hex').slice(0, 16);
    const secret = randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = {
      kind: 'key',
      id,
      name: input.name,
      role: input.role,
      region: input.region ?? null,
      hash: sha256(secret),
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    await this.sink.append(record);
    this.apply(record);
    const principal: Principal = { keyId: id, name: input.name, role: input.role, region: input.region ?? null };
    return { ...principal, key: `ck_${id}_${secret}` };
  }

  async list(): Promise<(Principal & { createdAt: string; revokedAt: string | null })[]> {
    return [...this.cache.values()]
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((k) => ({ keyId: k.keyId, name: k.name, role: k.role, region: k.region, createdAt: k.createdAt, revokedAt: k.revokedAt }));
  }

  async revoke(keyId: string): Promise<boolean> {
    const known = this.cache.get(keyId);
    if (!known) return false;
    const record: ApiKeyRecord = {
      kind: 'key',
      id: keyId,
      name: known.name,
      role: known.role,
      region: known.region,
      hash: known.hash,
      createdAt: known.createdAt,
      revokedAt: known.revokedAt ?? new Date().toISOString(),
    };
    await this.sink.append(record);
    this.apply(record);
    return true;
  }

  /** Whether any admin key exists (the first start creates one when none does and no bootstrap key is set). */
  async hasAdminKey(): Promise<boolean> {
    return [...this.cache.values()].some((k) => k.role === 'admin' && !k.revoked);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
