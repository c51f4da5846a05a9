import { Foundation1764300000000 } from './1764300000000-Foundation';
import { ReviewWorkflow1764400000000 } from './1764400000000-ReviewWorkflow';
import { ReferenceChecks1764500000000 } from './1764500000000-ReferenceChecks';
import { Publishing1764600000000 } from './1764600000000-Publishing';
import { Webhooks1764700000000 } from './1764700000000-Webhooks';
import { AuditIntegrity1764870000000 } from './1764870000000-AuditIntegrity';
import { Signatures1764900000000 } from './1764900000000-Signatures';
import { Audiences1765000000000 } from './1765000000000-Audiences';
import { ReaderTrust1765000000100 } from './1765000000100-ReaderTrust';
import { ChangeSignificance1765000000200 } from './1765000000200-ChangeSignificance';
import { Evidence1765000000300 } from './1765000000300-Evidence';
import { BoardWorkday1765000000400 } from './1765000000400-BoardWorkday';
import { RetentionAndSecrets1765000000500 } from './1765000000500-RetentionAndSecrets';
import { OutboxFinished1765000000600 } from './1765000000600-OutboxFinished';
import { PublicChanges1765000000800 } from './1765000000800-PublicChanges';
import { AuditAtIndex1765000000900 } from './1765000000900-AuditAtIndex';
import { AuditAppend1765000001000 } from './1765000001000-AuditAppend';
import { ReviewResumes1765000001100 } from './1765000001100-ReviewResumes';
import { RefreshTokens1765000001200 } from './1765000001200-RefreshTokens';
import { RefreshTokensExpiry1765000001300 } from './1765000001300-RefreshTokensExpiry';

/** Every migration, in order. Listed explicitly so that bundled builds need no file globbing. */
export const MIGRATIONS = [
  Foundation1764300000000,
  ReviewWorkflow1764400000000,
  ReferenceChecks1764500000000,
  Publishing1764600000000,
  Webhooks1764700000000,
  AuditIntegrity1764870000000,
  Signatures1764900000000,
  Audiences1765000000000,
  ReaderTrust1765000000100,
  ChangeSignificance1765000000200,
  Evidence1765000000300,
  BoardWorkday1765000000400,
  RetentionAndSecrets1765000000500,
  OutboxFinished1765000000600,
  PublicChanges1765000000800,
  AuditAtIndex1765000000900,
  AuditAppend1765000001000,
  ReviewResumes1765000001100,
  RefreshTokens1765000001200,
  RefreshTokensExpiry1765000001300,
];
