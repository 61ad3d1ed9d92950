import type { CordonClient } from '@cordon/sdk';
import { CommandError } from './connect.ts';
import { describeProblem } from './export-command.ts';

type Say = (line: string) => void;

export async function keysCreate(
  client: CordonClient,
  body: { name: string; role: 'ingest' | 'read' | 'admin'; region?: string },
  say: Say,
): Promise<number> {
  const result = await client.keys.create(body);
  if (result.error) throw new CommandError(describeProblem(result.error));
  const k = result.data;
  say(`created ${k.role} key ${k.keyId} (${k.name}${k.region ? `, region ${k.region}` : ''}); it is shown only this once:`);
  say(k.key);
  return 0;
}

export async function keysList(client: CordonClient, say: Say): Promise<number> {
  const result = await client.keys.list();
  if (result.error) throw new CommandError(describeProblem(result.error));
  say(['keyId', 'name', 'role', 'region', 'createdAt', 'revokedAt'].join('\t'));
  for (const k of result.data.keys) say([k.keyId, k.name, k.role, k.region ?? '*', k.createdAt, k.revokedAt ?? '-'].join('\t'));
  return 0;
}

export async function keysRevoke(client: CordonClient, keyId: string, say: Say): Promise<number> {
  const result = await client.keys.revoke(keyId);
  if (result.error) throw new CommandError(describeProblem(result.error));
  say(`revoked ${keyId}`);
  return 0;
}

export async function regionsAdd(client: CordonClient, body: { code: string; name: string; parent?: string }, say: Say): Promise<number> {
  const result = await client.regions.add(body);
  if (result.error) throw new CommandError(describeProblem(result.error));
  const r = result.data;
  say(`added ${r.level} ${r.code} ${r.name}${r.parent ? ` under ${r.parent}` : ''}`);
  return 0;
}

export async function status(client: CordonClient, say: Say): Promise<number> {
  const result = await client.status();
  if (result.error) throw new CommandError(describeProblem(result.error));
  const s = result.data;
  say(`lag ${s.lag} (events acknowledged, not yet counted); as of ${s.asOf}; log ${s.log}; ClickHouse ${s.clickhouse}`);
  return 0;
}
