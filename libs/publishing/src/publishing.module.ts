import { Module } from '@nestjs/common';
import { WorkflowModule } from '@imprimatur/workflow';
import { PublicReader } from './public-reader.service';
import { PublishingService } from './publishing.service';

@Module({
  imports: [WorkflowModule],
  providers: [PublishingService, PublicReader],
  exports: [PublishingService, PublicReader],
})
export class PublishingModule {}
