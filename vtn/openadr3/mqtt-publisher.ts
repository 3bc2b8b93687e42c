import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../../src/logger.js';

export interface MqttPublisherOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM file of the broker's CA (mqtts). */
  readonly ca?: string;
  readonly timeoutMs: number;
}

/**
 * The VTN's connection to its MQTT broker: connects once and reconnects on its own; a publish is
 * QoS 1 and resolves when the broker acknowledged it, so a queued notification is completed only
 * then (a broker that is away leaves it queued and retried).
 */
export class MqttPublisher {
  private client: MqttClient | undefined;

  constructor(private readonly options: MqttPublisherOptions, private readonly logger: Logger) {}

  private connection(): MqttClient {
    if (this.client) return this.client;
    const client = mqtt.connect(this.options.url, {
      clientId: `flexbridge-vtn-${process.pid}-${Math.random().toString(16).slice(2, 10)}`,
      reconnectPeriod: 2_000, connectTimeout: this.options.timeoutMs, clean: true,
      ...(this.options.username ? { username: this.options.username } : {}), ...(this.options.password ? { password: this.options.password } : {}),
      ...(this.options.ca ? { ca: readFileSync(this.options.ca) } : {}),
      // Unacknowledged publishes are not kept in memory across reconnects: the store's queue keeps them.
      queueQoSZero: false,
    });
    client.on('error', (error) => this.logger.warn('MQTT broker connection', { reason: error.message }));
    this.client = client;
    return client;
  }

  publish(topic: string, body: string): Promise<void> {
    const client = this.connection();
    if (!client.connected) return Promise.reject(new Error('MQTT broker not connected'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no PUBACK within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      client.publish(topic, body, { qos: 1 }, (error) => {
        clearTimeout(timer);
        if (error) reject(error); else resolve();
      });
    });
  }

  /** Connects now (the first deliveries need not wait for a retry). */
  async connect(): Promise<void> {
    const client = this.connection();
    if (client.connected) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.timeoutMs);
      client.once('connect', () => { clearTimeout(timer); resolve(); });
    });
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
    this.client = undefined;
  }
}
