// The DTLS handshake's key exchange and signature, the two ways werift could do them:
// `npx tsx bench/media/dtls-crypto.ts`. Prints µs per operation (median of 5 runs of 2,000).
import {
  createPrivateKey,
  createPublicKey,
  createSign,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import nacl from 'tweetnacl';

function perOp(fn: () => void, n = 2000): number {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  return Math.round(runs.sort((a, b) => a - b)[2]! * 10) / 10;
}

// As the patched werift does it: our key pair as a KeyObject (raw bytes from its JWK), the peer's
// 32-byte public key imported from JWK for each exchange.
const ours = generateKeyPairSync('x25519');
const ourJwk = ours.privateKey.export({ format: 'jwk' });
const peer = nacl.box.keyPair();
const naclKeyPair = () => nacl.box.keyPair();
const nodeKeyPair = () => generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' });
const naclSecret = () => nacl.scalarMult(Buffer.from(ourJwk.d!, 'base64url'), peer.publicKey);
const nodeSecret = () =>
  diffieHellman({
    privateKey: ours.privateKey,
    publicKey: createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer.publicKey).toString('base64url') },
      format: 'jwk',
    }),
  });
if (!Buffer.from(naclSecret()).equals(nodeSecret())) throw new Error('the two X25519 secrets differ');

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const keyObject: KeyObject = createPrivateKey(pem);
const data = Buffer.alloc(200, 7);

console.log(
  JSON.stringify({
    x25519KeyPairUs: { tweetnacl: perOp(naclKeyPair, 200), nodeCrypto: perOp(nodeKeyPair) },
    x25519SharedSecretUs: { tweetnacl: perOp(naclSecret, 200), nodeCrypto: perOp(nodeSecret) },
    ecdsaSignUs: {
      pemEachTime: perOp(() => createSign('sha256').update(data).sign(pem), 500),
      keyObject: perOp(() => createSign('sha256').update(data).sign(keyObject), 500),
    },
  }),
);
