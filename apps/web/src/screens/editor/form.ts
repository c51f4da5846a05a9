import { createFormContext, schemaResolver } from '@mantine/form';
import { draftSchema, type ArticleDraft } from '../../lib/content';

/** The editor's form (@mantine/form), shared by its parts through context: fields, references, actions. */
export const [EditorFormProvider, useEditorFormContext, useEditorForm] = createFormContext<ArticleDraft>();

/** The draft's rules (zod, through Mantine's Standard Schema resolver): errors by path. */
export const validateDraft = schemaResolver(draftSchema, { sync: true });
