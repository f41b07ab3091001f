/**
 * Tools on the wire: `urlContext` (Gemini reads the question's links itself) and Google Search
 * grounding: the `googleSearch` tool in the request, and the
 * candidate's `groundingMetadata` (webSearchQueries, groundingChunks with web sources,
 * groundingSupports) in the response. A stream carries it on its last chunk; the sources are
 * handed on raw and in order (the domain deduplicates and cuts them, domain/grounding.ts).
 * URL context reports each link it tried in `urlContextMetadata.urlMetadata[]`, with a
 * `urlRetrievalStatus`: the ones not read (error, paywall, unsafe) are handed on to be named.
 */
import type { GenerateContentResponse, Tool } from '@google/genai/web';
import type { ChatRequest } from '../../domain/ports/index.js';
import type { Source } from '../../domain/grounding.js';

/** The tools a request asks for; undefined when none (the field is then left out). */
export function toolsOf(request: ChatRequest): Tool[] | undefined {
  const tools: Tool[] = [];
  if (request.search) tools.push({ googleSearch: {} });
  if (request.urlContext) tools.push({ urlContext: {} });
  return tools.length > 0 ? tools : undefined;
}

type Candidate = NonNullable<GenerateContentResponse['candidates']>[number];

/** The web sources of a grounded candidate; undefined when the candidate was not grounded. */
export function groundingOf(candidate: Candidate | undefined): { sources: Source[] } | undefined {
  const metadata = candidate?.groundingMetadata;
  if (!metadata) return undefined;
  const sources: Source[] = [];
  for (const chunk of metadata.groundingChunks ?? []) {
    const uri = chunk.web?.uri;
    if (uri) sources.push({ uri, title: chunk.web?.title ?? '' });
  }
  const searched = (metadata.webSearchQueries?.length ?? 0) > 0 || sources.length > 0;
  return searched ? { sources } : undefined;
}

/** The links URL context could not read (any status but success), in order; empty when none. */
export function unreadUrlsOf(candidate: Candidate | undefined): string[] {
  const tried = candidate?.urlContextMetadata?.urlMetadata ?? [];
  return tried
    .filter((meta) => meta.urlRetrievalStatus !== 'URL_RETRIEVAL_STATUS_SUCCESS')
    .map((meta) => meta.retrievedUrl)
    .filter((url): url is string => typeof url === 'string' && url !== '');
}
