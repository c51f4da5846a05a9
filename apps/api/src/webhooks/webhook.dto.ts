import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, ValidateBy } from 'class-validator';
import { AttemptRecord, WebhookSubscriptionRecord } from '@imprimatur/database';
import { WEBHOOK_EVENTS, WebhookEvent } from '@imprimatur/queue';
import { ATTEMPT_OUTCOMES, AttemptOutcome, isWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from '@imprimatur/webhooks';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const IsWebhookUrl = () =>
  ValidateBy({
    name: 'isWebhookUrl',
    validator: {
      validate: (value) => isWebhookUrl(value),
      defaultMessage: () =>
        `url must be an absolute http or https URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters, without credentials`,
    },
  });

export class CreateWebhookDto {
  @ApiProperty({
    format: 'uri',
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    example: 'https://hooks.example.org/imprimatur',
    description: 'http or https; receives a signed POST per event',
  })
  @Transform(trim)
  @IsString()
  @IsWebhookUrl()
  url: string;

  @ApiProperty({
    enum: WEBHOOK_EVENTS,
    isArray: true,
    minItems: 1,
    maxItems: WEBHOOK_EVENTS.length,
    uniqueItems: true,
    example: ['article.published', 'article.unpublished'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events: WebhookEvent[];
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uri', example: 'https://hooks.example.org/imprimatur' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events: WebhookEvent[];
  @ApiProperty({ description: 'false once the receiver answered 410 Gone (see disabledReason)' }) active: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'gone', description: '"gone": the receiver answered 410' })
  disabledReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(s: WebhookSubscriptionRecord): WebhookDto {
    return {
      id: s.id,
      url: s.url,
      events: s.events.filter((e): e is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(e)),
      active: s.active,
      disabledAt: s.disabledAt ? s.disabledAt.toISOString() : null,
      disabledReason: s.disabledReason,
      createdAt: s.createdAt.toISOString(),
    };
  }
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'whsec_ + base64 of 32 random bytes: the Standard Webhooks signing secret. Shown only in this response; keep it.',
  })
  secret: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) items: WebhookDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class WebhookAttemptDto {
  @ApiProperty({ format: 'uuid', description: 'One event to this subscription; its attempts share it' })
  deliveryId: string;
  @ApiProperty({ example: '1042', description: 'The event (the same for every subscription it went to)' })
  eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) eventType: WebhookEvent;
  @ApiProperty({
    example: 'msg_5b1e8f9e-2f8c-4c43-9f7f-3a0b6b8f7a51',
    description: 'The webhook-id header: the same on every attempt of a delivery',
  })
  messageId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt: number;
  @ApiProperty({ format: 'date-time', description: 'When the attempt started' }) at: string;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The receiver's HTTP status; null when there was no answer",
  })
  statusCode: number | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) durationMs: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why there was no answer (timeout, refused, blocked address, …)',
  })
  error: string | null;
  @ApiProperty({
    enum: ATTEMPT_OUTCOMES,
    description:
      'delivered: 2xx; retrying: failed, another attempt is scheduled; failed: the last attempt failed; disabled: 410, the subscription was disabled',
  })
  outcome: AttemptOutcome;

  static of(a: AttemptRecord): WebhookAttemptDto {
    return {
      deliveryId: a.deliveryId,
      eventId: a.eventId,
      eventType: a.eventType as WebhookEvent,
      messageId: a.messageId,
      attempt: a.attempt,
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
      outcome: a.outcome as AttemptOutcome,
    };
  }
}

export class WebhookAttemptPageDto {
  @ApiProperty({ type: [WebhookAttemptDto] }) items: WebhookAttemptDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
