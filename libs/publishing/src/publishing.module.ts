import { Module } from '@nestjs/common';
import { WorkflowModule } from '@imprimatur/workflow';
import { PublicReader } from './public-reader.service';
import { PublishingService } from './publishing.service';
import { SigningKeys } from './signing-keys.service';

@Module({
  imports: [WorkflowModule],
  providers: [PublishingService, PublicReader, SigningKeys],
  exports: [PublishingService, PublicReader, SigningKeys],
})
export class PublishingModule {}
