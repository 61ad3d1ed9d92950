import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fromClickHouseTime, toClickHouseTime, type ClickHouse } from '@cordon/clickhouse';
import type { ApiRole } from '@cordon/schemas';
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

/**
 * API keys, stored hashed in ClickHouse so every process of a deployment
 * sees the same keys. The secret is 32 random bytes, so a plain SHA-256 is
 * enough (no password-stretching needed for a non-guessable secret).
 *
 * Keys are cached in memory; an unknown key id triggers a reload at most once
 * a second, so a key created by another process works within a second and a
 * flood of bad keys cannot hammer ClickHouse.
 */
export class KeyStore {
  private cache = new Map<string, StoredKey>();
  private loadedAt = 0;
  private bootstrapHash: string | null;
  /** Limits each key's request rate (requireRole asks it); none: unlimited. */
  readonly rateLimiter: RateLimiter | undefined;

  constructor(
    private readonly ch: ClickHouse,
    options: { bootstrapKey?: string | undefined; rateLimiter?: RateLimiter | undefined } = {},
  ) {
    this.bootstrapHash = options.bootstrapKey ? sha256(options.bootstrapKey) : null;
    this.rateLimiter = options.rateLimiter;
  }

  async verify(token: string): Promise<Principal | undefined> {
    if (this.bootstrapHash && safeEqual(sha256(token), this.bootstrapHash)) {
      return { keyId: 'bootstrap', name: 'bootstrap admin key', role: 'admin', region: null };
    }
    const match = /^ck_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return undefined;
    const [, id, secret] = match as unknown as [string, string, string];
    let stored = this.cache.get(id);
    if (!stored && Date.now() - this.loadedAt > 1000) {
      await this.reload();
      stored = this.cache.get(id);
    }
    if (!stored || stored.revoked || !safeEqual(sha256(secret), stored.hash)) return undefined;
    return { keyId: stored.keyId, name: stored.name, role: stored.role, region: stored.region };
  }

  async create(input: { name: string; role: ApiRole; region?: string | null | undefined }): Promise<CreatedKey> {
    const id = randomBytes(10).toString('hex').slice(0, 16);
    const secret = randomBytes(32).toString('base64url');
    const now = toClickHouseTime(new Date());
    await this.ch.client.insert({
      table: `${this.ch.database}.api_keys`,
      values: [{ id, name: input.name, role: input.role, region: input.region ?? '', hash: sha256(secret), created_at: now, revoked_at: null, version: Date.now() }],
      format: 'JSONEachRow',
    });
    const principal: Principal = { keyId: id, name: input.name, role: input.role, region: input.region ?? null };
    this.cache.set(id, { ...principal, hash: sha256(secret), revoked: false });
    return { ...principal, key: `ck_${id}_${secret}` };
  }

  async list(): Promise<(Principal & { createdAt: string; revokedAt: string | null })[]> {
    const result = await this.ch.client.query({
      query: `SELECT id, name, role, region, created_at, revoked_at FROM ${this.ch.database}.api_keys FINAL ORDER BY created_at`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ id: string; name: string; role: ApiRole; region: string; created_at: string; revoked_at: string | null }>();
    return rows.map((r) => ({
      keyId: r.id, name: r.name, role: r.role, region: r.region || null,
      createdAt: fromClickHouseTime(r.created_at),
      revokedAt: r.revoked_at ? fromClickHouseTime(r.revoked_at) : null,
    }));
  }

  async revoke(keyId: string): Promise<boolean> {
    const result = await this.ch.client.query({
      query: `SELECT name, role, region, hash, created_at FROM ${this.ch.database}.api_keys FINAL WHERE id = {id:String}`,
      query_params: { id: keyId },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<Record<string, string>>();
    if (!row) return false;
    await this.ch.client.insert({
      table: `${this.ch.database}.api_keys`,
      values: [{ ...row, id: keyId, revoked_at: toClickHouseTime(new Date()), version: Date.now() }],
      format: 'JSONEachRow',
    });
    const cached = this.cache.get(keyId);
    if (cached) cached.revoked = true;
    return true;
  }

  /** Whether any admin key exists (the first start creates one when none does and no bootstrap key is set). */
  async hasAdminKey(): Promise<boolean> {
    await this.reload();
    return [...this.cache.values()].some((k) => k.role === 'admin' && !k.revoked);
  }

  private async reload(): Promise<void> {
    this.loadedAt = Date.now();
    const result = await this.ch.client.query({
      query: `SELECT id, name, role, region, hash, revoked_at FROM ${this.ch.database}.api_keys FINAL`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ id: string; name: string; role: ApiRole; region: string; hash: string; revoked_at: string | null }>();
    this.cache = new Map(rows.map((r) => [r.id, { keyId: r.id, name: r.name, role: r.role, region: r.region || null, hash: r.hash, revoked: r.revoked_at !== null }]));
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
