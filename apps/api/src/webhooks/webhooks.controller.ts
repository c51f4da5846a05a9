import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhookSubscriptions } from '@imprimatur/webhooks';
import { AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { PageQuery } from '../http/pagination';
import { uuidPipe } from '../http/validation';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookAttemptDto,
  WebhookAttemptPageDto,
  WebhookDto,
  WebhookPageDto,
} from './webhook.dto';

@ApiTags('webhooks')
@Controller('webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookSubscriptions) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Subscribe a URL to events (admin)',
    description:
      'Each event is POSTed as `{type, timestamp, data}`, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the `secret`, which this response shows once and no other does. ' +
      'Non-2xx answers and timeouts are retried with backoff up to WEBHOOK_MAX_ATTEMPTS, with the same `webhook-id`; a 410 answer disables the subscription.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiSignedIn(400, 413)
  async create(@CurrentUser() actor: AuthUser, @Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const { subscription, secret } = await this.webhooks.create(actor, { url: body.url, events: body.events });
    return { ...WebhookDto.of(subscription), secret };
  }

  @Get()
  @ApiOperation({ summary: 'List webhook subscriptions, oldest first (admin); never their secrets' })
  @ApiOkResponse({ type: WebhookPageDto })
  @ApiSignedIn(400)
  async list(@Query() query: PageQuery): Promise<WebhookPageDto> {
    const page = await this.webhooks.list(query.limit, query.cursor);
    return { items: page.items.map((s) => WebhookDto.of(s)), nextCursor: page.nextCursor };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook subscription (admin): no further deliveries, pending ones are abandoned' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiSignedIn(400, 404)
  async remove(@CurrentUser() actor: AuthUser, @Param('id', uuidPipe()) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "A subscription's delivery attempts, newest first (admin)" })
  @ApiOkResponse({ type: WebhookAttemptPageDto })
  @ApiSignedIn(400, 404)
  async deliveries(@Param('id', uuidPipe()) id: string, @Query() query: PageQuery): Promise<WebhookAttemptPageDto> {
    const page = await this.webhooks.attempts(id, query.limit, query.cursor);
    return { items: page.items.map((a) => WebhookAttemptDto.of(a)), nextCursor: page.nextCursor };
  }
}
