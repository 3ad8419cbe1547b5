import { AuditQueryParameters, AuditRecordList, MEDIA_TYPE_JSON_LINES } from '@ema/protocol';
import { auditQuery, auditRecordView } from '@ema/storage';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RasContext } from '../context.js';
import type { Account } from '../storage/subjects.js';
import { adminErrors, SubjectView } from './admin-schemas.js';

const subjectView = (account: Account) => ({
  account_id: account.accountId,
  iss: account.iss,
  tenant: account.tenant,
  sub: account.sub,
  email: account.email,
  name: account.name,
  created_at: account.createdAt,
  last_seen_at: account.lastSeenAt,
});

/** Admin API: the audit log (filtered, newest first, and as JSON Lines), local accounts, and key rotation. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: RasContext }> = async (app, { ctx }) => {
  const { audit, subjects } = ctx.storage;

  app.get(
    '/audit',
    {
      schema: {
        querystring: AuditQueryParameters,
        response: { 200: AuditRecordList, ...adminErrors },
      },
    },
    async (request) => ({ events: audit.query(auditQuery(request.query)).map(auditRecordView) }),
  );

  app.get(
    '/audit/export',
    { schema: { response: { 200: Type.String(), ...adminErrors } } },
    async (_request, reply) => {
      reply
        .header('content-disposition', 'attachment; filename="ras-audit.jsonl"')
        .header('cache-control', 'no-store')
        .type(`${MEDIA_TYPE_JSON_LINES}; charset=utf-8`);
      return [...audit.exportJsonLines()].join('');
    },
  );

  app.get(
    '/subjects',
    {
      schema: {
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
        response: { 200: Type.Object({ subjects: Type.Array(SubjectView) }), ...adminErrors },
      },
    },
    async (request) => ({ subjects: subjects.list(request.query.limit ?? 100).map(subjectView) }),
  );

  app.post(
    '/subjects',
    {
      schema: {
        body: Type.Object(
          {
            iss: Type.String({ minLength: 1, maxLength: 2000 }),
            tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            sub: Type.String({ minLength: 1, maxLength: 2000 }),
            email: Type.Optional(Type.String({ maxLength: 320 })),
            name: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SubjectView, ...adminErrors },
      },
    },
    async (request) => {
      // Pre-provisioning, for deployments that switch just-in-time provisioning off.
      const { iss, tenant, sub, email, name } = request.body;
      const account = subjects.provision({ iss, tenant, sub, email, name }, ctx.now());
      audit.record({
        type: 'admin.subject.provision',
        outcome: 'info',
        actor: 'admin-api',
        subject: sub,
        details: { iss, tenant: tenant ?? null, account_id: account.accountId },
      });
      return subjectView(account);
    },
  );

  app.post(
    '/keys/rotate',
    { schema: { response: { 200: Type.Object({ kid: Type.String(), retired_kid: Type.String() }), ...adminErrors } } },
    async () => {
      // Under the key lock: two instances rotating at once would each promote a key (RAS-PG-KEY-ROTATION).
      const { kid, retiredKid } = await ctx.storage.withKeyLock(() => ctx.keyStore.rotate());
      audit.record({
        type: 'admin.keys.rotate',
        outcome: 'info',
        actor: 'admin-api',
        details: { kid, retired_kid: retiredKid },
      });
      return { kid, retired_kid: retiredKid };
    },
  );
};
