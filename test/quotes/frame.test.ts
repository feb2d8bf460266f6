import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { encodeMessage } from '../../server/quotes/protocol';

// ws exports its frame parser at run time (`require('ws').Receiver`); @types/ws does not declare it.
interface FrameReceiver extends EventEmitter {
  write(chunk: Buffer): void;
}
const { Receiver } = ws as unknown as { Receiver: new (o: { isServer: boolean }) => FrameReceiver };

/** Decodes frames with ws's own parser, as a client would (client side: unmasked frames expected). */
function decode(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const r = new Receiver({ isServer: false });
    r.on('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString('utf8'), isBinary }));
    r.on('error', reject);
    r.write(frame);
  });
}

describe('quote frames serialised once for every subscriber', () => {
  // 7-bit, 16-bit and 64-bit payload lengths (RFC 6455 §5.2), each at and around its edge.
  for (const size of [0, 125, 126, 65535, 65536, 70000]) {
    it(`decodes as one unmasked text message of the same JSON at a ${size}-character payload`, async () => {
      const message = { type: 'update', channel: 'book:f', seq: 7, data: { pad: 'x'.repeat(Math.max(0, size - 52)), name: '北京' } };
      const frame = encodeMessage(message);
      const got = await decode(frame);
      expect(got.isBinary).to.equal(false);
      expect(JSON.parse(got.text)).to.deep.equal(message);
      expect(frame[1]! & 0x80, 'a server frame is never masked').to.equal(0);
    });
  }
});
