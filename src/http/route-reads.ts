// Owns telling the read routing who is asking: each request runs as its client, and a client's writes are recorded.
import type { FastifyRequest } from 'fastify';
import type { ReadRouting } from '../service/read-routing.js';
import { principalOf } from './register-access-control.js';
import type { TypedApp } from './typed-app.js';

/** The client a request comes from: its key's name once authenticated (by key or session alike), else its address. */
function clientOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal.via === 'anonymous' ? `address:${request.ip}` : `key:${principal.name}`;
}

/**
 * Handlers run as their client (after access control has identified it), so a replica answers only clients that did
 * not just write; every request other than GET and HEAD counts as a write once answered.
 */
export function routeReads(app: TypedApp, reads: ReadRouting): void {
  app.addHook('preHandler', (request, _reply, done) => reads.enter(clientOf(request), done));
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') reads.wrote(clientOf(request));
    done();
  });
}
