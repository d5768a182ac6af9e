import { IsString } from 'class-validator';
import { ConfigPart } from '../config/config';

/** The gateway's system-wide answers (GatewayModule): read by the services nginx sends `/api/v1/health` to. */
@ConfigPart()
export class GatewayConfig {
  /**
   * Where the aggregated `/api/v1/health` looks: `name=url[|url…]` pairs separated by commas. A service
   * with several URLs (workers) is up when any of them is ready.
   */
  @IsString()
  HEALTH_TARGETS =
    'auth=http://127.0.0.1:8001,relay=http://127.0.0.1:8002,instance-manager=http://127.0.0.1:8003,' +
    'android-bridge=http://127.0.0.1:8004,worker=http://127.0.0.1:8005';
}
