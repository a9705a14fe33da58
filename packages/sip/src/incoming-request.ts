import type { SessionDialog } from './dialogs/session-dialog';
import { createResponse, generateTag } from './messages/builders';
import type { SipRequest, SipResponse } from './messages/message';
import type { SipStack } from './sip-stack';
import { InviteServerTransaction } from './transactions/invite-server-transaction';
import type { ServerTransaction } from './transactions/transaction-layer';
import type { Flow } from './transports/transport';

export interface ReplyOptions {
  reason?: string;
  headers?: Array<[string, string]>;
  body?: string | Buffer;
  contentType?: string;
}

/**
 * A request handed to the application with the server transaction that answers it. For INVITE it
 * also makes the UAS dialog: `progress()` creates it early, `accept()` confirms it and keeps
 * retransmitting the 2xx until the ACK arrives (§13.3.1.4).
 */
export class IncomingRequest {
  /** The dialog this request belongs to (in-dialog requests), or the one an INVITE created. */
  dialog: SessionDialog | undefined;
  /** For an INVITE with Replaces (RFC 3891): the dialog it replaces. */
  replaces: SessionDialog | undefined;
  /** Called when a CANCEL matched this INVITE; if it leaves the INVITE unanswered, 487 follows. */
  onCancel: ((cancel: SipRequest) => void) | undefined;
  private toTag: string | undefined;

  constructor(
    readonly stack: SipStack,
    readonly request: SipRequest,
    readonly flow: Flow,
    readonly transaction: ServerTransaction,
  ) {
    if (transaction instanceof InviteServerTransaction) {
      transaction.onCancel = (cancel) => {
        this.onCancel?.(cancel);
        if (!transaction.finalResponseSent) this.reply(487);
      };
    }
    this.toTag = request.to?.tag;
  }

  get method(): string {
    return this.request.method;
  }

  get answered(): boolean {
    return this.transaction.finalResponseSent;
  }

  get cancelled(): boolean {
    return this.transaction instanceof InviteServerTransaction && this.transaction.cancelled;
  }

  /** The To tag used in every response to this request (one UAS, one tag). */
  get localTag(): string {
    if (!this.toTag) this.toTag = generateTag();
    return this.toTag;
  }

  createResponse(status: number, options: ReplyOptions = {}): SipResponse {
    const res = createResponse(
      this.request,
      status,
      options.reason,
      status > 100 ? this.localTag : undefined,
    );
    for (const [k, v] of options.headers ?? []) res.append(k, v);
    if (options.body !== undefined) res.setBody(options.body, options.contentType);
    if (this.stack.userAgent) res.set('server', this.stack.userAgent);
    // §12.1.1: responses that establish a dialog carry the request's Record-Route.
    if (this.method === 'INVITE' && status > 100 && status < 300) {
      const rr = this.request.getAll('record-route');
      if (rr.length > 0) res.set('record-route', rr);
    }
    return res;
  }

  /** Sends a response through the server transaction. Never throws once the transaction is done. */
  reply(status: number, options: ReplyOptions = {}): SipResponse {
    if (this.method === 'INVITE' && status > 100 && status < 300) {
      const d = status < 200 ? this.progress(status, options) : this.accept(options, status);
      return d.lastResponse ?? this.createResponse(status, options);
    }
    const res = this.createResponse(status, options);
    this.send(res);
    if (status >= 300 && this.method === 'INVITE' && this.dialog && this.dialog.state === 'early') {
      this.dialog.terminate('rejected');
    }
    return res;
  }

  send(res: SipResponse): void {
    this.transaction.respond(res);
  }

  /** 1xx for an initial INVITE, creating the early dialog (§12.1.1). */
  progress(status = 180, options: ReplyOptions = {}): SessionDialog {
    if (this.answered) return this.lateAnswer();
    const res = this.createResponse(status, options);
    const dialog = this.dialog ?? this.stack.createUasDialog(this, res);
    res.set('contact', dialog.localContact);
    dialog.lastResponse = res;
    this.send(res);
    return dialog;
  }

  /** 2xx for an INVITE: confirms the dialog and retransmits the 2xx until the ACK (§13.3.1.4). */
  accept(options: ReplyOptions = {}, status = 200): SessionDialog {
    if (this.answered) return this.lateAnswer();
    const res = this.createResponse(status, options);
    const dialog = this.dialog ?? this.stack.createUasDialog(this, res);
    res.set('contact', dialog.localContact);
    dialog.state = 'confirmed';
    dialog.lastResponse = res;
    this.send(res);
    dialog.retransmit2xx(res, this.flow);
    return dialog;
  }

  /**
   * The app answered after the INVITE was already finished (typically a CANCEL raced a slow
   * answer). Nothing is sent; a new call gets an already terminated dialog, a re-INVITE keeps its own.
   */
  private lateAnswer(): SessionDialog {
    if (this.request.to?.tag && this.dialog) return this.dialog;
    const dialog = this.dialog ?? this.stack.createUasDialog(this, this.createResponse(487));
    dialog.lastResponse = undefined;
    dialog.terminate(this.cancelled ? 'cancelled' : 'already answered');
    return dialog;
  }
}
