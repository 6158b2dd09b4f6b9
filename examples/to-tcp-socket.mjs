// Table → TCP socket: stream records as debezium/json lines to a listener (nc -lk 9000, Kafka Connect, Vector…).
// Run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 TABLE=orders PORT=9000 node examples/to-tcp-socket.mjs
import net from 'node:net'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { createSource, format } from 'dynamodb-opencdc'

const socket = net.connect(Number(process.env.PORT ?? 9000), process.env.HOST ?? '127.0.0.1')
await once(socket, 'connect')
await pipeline(
  createSource({ table: process.env.TABLE ?? 'orders', snapshotOnly: true }),
  format('debezium/json'),
  socket // backpressure from the socket slows the Scan down
)
