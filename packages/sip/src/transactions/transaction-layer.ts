import { MAGIC_COOKIE } from '../messages/builders';
import type { SipRequest, SipResponse } from '../messages/message';
import { InviteClientTransaction } from './invite-client-transaction';
import { InviteServerTransaction } from './invite-server-transaction';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import { DEFAULT_TIMERS, type TimerConfig } from './timers';
import type { ClientTransactionUser, TransactionChannel } from './transaction';

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

/** A branch is RFC 3261-style only if it carries the magic cookie and something after it (RFC 4475 §3.2.1). */
function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.length > MAGIC_COOKIE.length && branch.startsWith(MAGIC_COOKIE);
}

/**
 * Server transaction key (§17.2.3). With a 3261 branch: branch + sent-by + method, where ACK maps
 * to INVITE. Otherwise the RFC 2543 rule: Request-URI, From tag, Call-ID, CSeq number and top Via
 * identify the transaction (the To tag is left out so that the ACK, which carries our tag, matches).
 */
export function serverTransactionKey(req: SipRequest, method = req.method): string {
  const via = req.via;
  const m = method === 'ACK' ? 'INVITE' : method;
  if (!via) return '';
  const branch = via.branch;
  if (isRfc3261Branch(branch)) return `${branch}|${via.host}:${via.port ?? ''}|${m}`;
  return `2543|${req.uri.toString()}|${req.from?.tag ?? ''}|${req.callId}|${req.cseq.seq}|${via.host}:${via.port ?? ''}|${branch ?? ''}|${m}`;
}

/** Client transaction key (§17.1.3): top Via branch + CSeq method. */
export function clientTransactionKey(branch: string, method: string): string {
  return `${branch}|${method === 'ACK' ? 'INVITE' : method}`;
}

/** Holds the live transactions and matches incoming messages to them. */
export class TransactionLayer {
  readonly servers = new Map<string, ServerTransaction>();
  readonly clients = new Map<string, ClientTransaction>();

  constructor(readonly config: TimerConfig = DEFAULT_TIMERS) {}

  findServer(req: SipRequest): ServerTransaction | undefined {
    return this.servers.get(serverTransactionKey(req));
  }

  /** §9.2: the INVITE a CANCEL refers to shares its key except for the method. */
  findInviteForCancel(cancel: SipRequest): InviteServerTransaction | undefined {
    const tx = this.servers.get(serverTransactionKey(cancel, 'INVITE'));
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  createServer(req: SipRequest, channel: TransactionChannel): ServerTransaction {
    const key = serverTransactionKey(req);
    const tx =
      req.method === 'INVITE'
        ? new InviteServerTransaction(key, req, channel, this.config)
        : new NonInviteServerTransaction(key, req, channel, this.config);
    this.servers.set(key, tx);
    tx.onTerminated(() => {
      if (this.servers.get(key) === tx) this.servers.delete(key);
    });
    return tx;
  }

  /** Creates and starts a client transaction; the request's top Via must carry a fresh branch. */
  createClient(req: SipRequest, channel: TransactionChannel, user: ClientTransactionUser): ClientTransaction {
    const branch = req.via?.branch ?? '';
    const key = clientTransactionKey(branch, req.method);
    const tx =
      req.method === 'INVITE'
        ? new InviteClientTransaction(key, req, channel, this.config, user)
        : new NonInviteClientTransaction(key, req, channel, this.config, user);
    this.clients.set(key, tx);
    tx.onTerminated(() => {
      if (this.clients.get(key) === tx) this.clients.delete(key);
    });
    tx.start();
    return tx;
  }

  matchResponse(res: SipResponse): ClientTransaction | undefined {
    const branch = res.via?.branch;
    if (!branch) return undefined;
    return this.clients.get(clientTransactionKey(branch, res.cseq.method));
  }

  /** Terminates every transaction (stack shutdown). */
  clear(): void {
    for (const tx of [...this.servers.values(), ...this.clients.values()]) tx.terminate();
    this.servers.clear();
    this.clients.clear();
  }
}
