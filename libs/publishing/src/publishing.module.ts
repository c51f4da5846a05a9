import { Module } from '@nestjs/common';
import { WorkflowModule } from '@imprimatur/workflow';
import { EditorialPolicyService } from './editorial-policy.service';
import { PublicReader } from './public-reader.service';
import { PublishingService } from './publishing.service';
import { SigningKeys } from './signing-keys.service';

@Module({
  imports: [WorkflowModule],
  providers: [PublishingService, PublicReader, SigningKeys, EditorialPolicyService],
  exports: [PublishingService, PublicReader, SigningKeys, EditorialPolicyService],
})
export class PublishingModule {}
