import { Type } from '@sinclair/typebox';

/** An HTML page. */
export const htmlSchema = Type.String();

/** Query or form parameters as Fastify parses them: a repeated parameter becomes an array. */
export const rawParametersSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));
