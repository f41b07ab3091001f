/**
 * The Gemini tools a chat turn asks for: Google Search grounding (the operator's searchGrounding
 * and the user's switch, domain/grounding.ts) and URL context for links in the question
 * (domain/links.ts). Decided from the request and settings alone: nothing is read for it.
 */
import type { User } from '../../domain/entities.js';
import type { ChatRequest } from '../../domain/ports/index.js';
import { searchApplies, type SearchGroundingMode } from '../../domain/grounding.js';
import { linksIn, urlContextSupported } from '../../domain/links.js';

/** Sets the request's tools; returns whether the question has links this model cannot open. */
export function applyTools(
  request: Omit<ChatRequest, 'signal'>,
  user: User,
  searchGrounding: SearchGroundingMode | undefined,
  questionText: string | undefined,
): { linksUnread: boolean } {
  if (searchApplies(searchGrounding ?? 'off', user.settings)) request.search = true;
  if (questionText === undefined || linksIn(questionText).length === 0) return { linksUnread: false };
  if (!urlContextSupported(request.model)) return { linksUnread: true };
  request.urlContext = true;
  return { linksUnread: false };
}
