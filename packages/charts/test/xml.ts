import { SaxesParser } from 'saxes';

/** Parses a document as XML; throws on the first well-formedness error. Returns the text nodes, in order. */
export function parseXml(text: string): { texts: string[]; elements: string[] } {
  const parser = new SaxesParser();
  const texts: string[] = [];
  const elements: string[] = [];
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('text', (t) => {
    if (t.trim()) texts.push(t.trim());
  });
  parser.on('opentag', (tag) => elements.push(tag.name));
  parser.write(text).close();
  if (failure) throw failure;
  return { texts, elements };
}
