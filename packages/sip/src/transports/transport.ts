export type TransportName = 'UDP' | 'TCP' | 'WS';

/** A connection of a stream transport (TCP or WebSocket). */
export interface Connection {
  readonly id: string;
  readonly transport: TransportName;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly closed: boolean;
  /** True once the peer proved who it is (or came from a trusted address); see ConnectionLimits. */
  readonly authenticated?: boolean;
  send(data: Buffer): void;
  close(): void;
  /** The layer above vouches for the peer (e.g. a REGISTER passed digest): keeps the connection open. */
  markAuthenticated?(): void;
}

/** Where a message came from: enough to answer it the way §18.2.2 says. */
export interface Flow {
  transport: TransportName;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** Set for TCP and WebSocket: responses and in-dialog requests go back over it while it is open. */
  connection?: Connection;
}

/** What a transport hands to the layer above: the raw bytes of one message and its flow. */
export type MessageSink = (data: Buffer, flow: Flow) => void;

export interface Transport {
  readonly name: TransportName;
  /** Reliable transports get no retransmissions from the transaction layer. */
  readonly reliable: boolean;
  /** Address and port written into Via sent-by and Contact. */
  readonly host: string;
  readonly port: number;
  /** True when each received unit is one whole message (UDP datagram, WebSocket frame). */
  readonly messageOriented: boolean;
  sink: MessageSink | undefined;
  /** Sends to host:port, over `connection` when given and open (stream transports). */
  send(data: Buffer, host: string, port: number, connection?: Connection): Promise<void>;
  close(): Promise<void>;
  /** Open connections (stream transports), for diagnostics and benchmarks. */
  connectionCount(): number;
}
