import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1763990400000 implements MigrationInterface {
  name = 'Webhooks1763990400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        url varchar(2048) NOT NULL,
        events jsonb NOT NULL,
        description varchar(500),
        secret_encrypted text NOT NULL,
        disabled_at timestamptz,
        disabled_reason varchar(200),
        consecutive_failures int NOT NULL DEFAULT 0,
        failing_since timestamptz,
        last_success_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_webhook_subscriptions_user ON webhook_subscriptions (user_id)`);
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        event_id varchar(128) NOT NULL,
        event_type varchar(64) NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        series int NOT NULL DEFAULT 1,
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // one delivery per subscription and event: a redelivered AMQP event finds its deliveries already there
    await queryRunner.query(`CREATE UNIQUE INDEX uq_webhook_deliveries_subscription_event ON webhook_deliveries (subscription_id, event_id)`);
    await queryRunner.query(`CREATE INDEX idx_webhook_deliveries_subscription_created ON webhook_deliveries (subscription_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX idx_webhook_deliveries_event ON webhook_deliveries (event_id)`);
    await queryRunner.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        series int NOT NULL,
        attempt int NOT NULL,
        status_code int,
        latency_ms int NOT NULL,
        response_excerpt text,
        error varchar(500),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_webhook_attempts_delivery_attempt ON webhook_attempts (delivery_id, attempt)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_attempts`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_subscriptions`);
  }
}
