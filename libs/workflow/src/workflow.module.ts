import { Module } from '@nestjs/common';
import { ArticleAccess } from './access';
import { ArticleActions } from './actions';
import { AuditReadService } from './audit-read.service';
import { ApprovalService } from './approval.service';
import { ArticlesService } from './articles.service';
import { RevisionChecks } from './checks.service';
import { CommentsService } from './comments.service';
import { ReviewerEligibility } from './eligibility.service';
import { HistoryService } from './history.service';
import { MaintenanceRequests } from './maintenance.service';
import { Notifications } from './notifications.service';
import { BoardService } from './board.service';
import { ReReviews } from './re-review.service';
import { ReviewService } from './review.service';
import { ReviewStart } from './review-start';
import { ArticleViews } from './views';

const SERVICES = [
  HistoryService,
  ArticleAccess,
  ArticleActions,
  ApprovalService,
  ArticlesService,
  RevisionChecks,
  CommentsService,
  ReviewService,
  ReviewStart,
  ArticleViews,
  MaintenanceRequests,
  AuditReadService,
  ReviewerEligibility,
  Notifications,
  BoardService,
  ReReviews,
];

/** The review workflow's application services; the API calls them, and so do the worker's checks and publishing. */
@Module({ providers: SERVICES, exports: SERVICES })
export class WorkflowModule {}
