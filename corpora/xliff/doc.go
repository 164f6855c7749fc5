// Package xliff reads and writes XLIFF, the XML interchange format of
// translation tools, in its versions 1.2 (with 1.0 and 1.1, which share its
// structure) and 2.0/2.1.
//
// Start with [NewReader], which streams the translation units of either
// version as [corpora.Unit] values, and [Fill], which writes translations
// back into an existing XLIFF document without disturbing a byte of it
// outside the targets it fills. [NewWriter] writes units as a new document,
// for example to turn a TMX file into XLIFF for a CAT tool; [Sniff] tells
// whether the first bytes of a file look like XLIFF.
//
// # What becomes a unit
//
// In XLIFF 1.2 each <trans-unit> is a unit whose ID is the trans-unit id.
// A trans-unit whose <seg-source> is split into <mrk mtype="seg"> segments
// gives one unit per segment instead, with ID "unitid#mid"; its target is
// the target <mrk mtype="seg"> with the same mid. In XLIFF 2 each <unit>
// with one <segment> is a unit with the unit's id as ID; a unit with several
// segments gives one unit per segment with ID "unitid#segmentid" (a segment
// without id is named "#N", its 1-based position, so its ID is
// "unitid##N"). Text in <ignorable> between segments belongs to no unit.
//
// Units marked translate="no" (directly or through an enclosing <file> or
// <group>) are not content to translate and are not returned; <alt-trans>
// proposals are not units either. A trans-unit without id (which XLIFF 1.2
// forbids but some tools write) is read with an empty ID.
//
// Every unit carries the properties [PropFile] (the 1.2 file's "original",
// or the 2.x file id), [PropUnit] and, for segmented units, [PropSegment],
// so that units of different files in one document are told apart; [KeyOf]
// turns them into the [Key] that [Fill] looks translations up by. The raw
// state is kept as [PropState], and 1.2 <context> elements become
// properties named "context:" followed by their context-type.
//
// # Inline codes
//
// Inline elements become [corpora.Code] values whose Element is the element
// name: 1.2 <g> and <mrk> and 2.x <pc> and <mrk> are Paired open/close
// codes; <bx/>, <bpt>, 2.x <sc/> and <sm/> open; <ex/>, <ept>, <ec/> and
// <em/> close; <x/>, <ph>, <it> and 2.x <ph/> stand alone. The content of
// 1.2 <bpt>, <ept>, <ph> and <it> (including any <sub>) is kept as Native;
// 2.x codes get as Native the <originalData> entry their dataRef points to.
// A 2.x <cp hex="…"/> is decoded to its character in the text.
//
// Code.ID is the element's id (1.2: id, or rid when id is missing; <mrk>:
// mid), except for 2.x <ec/> and <em/>, whose ID is the startRef that pairs
// them with their <sc/> or <sm/>. The other attributes are kept in order in
// Code.Attrs; attributes in foreign namespaces are named "{namespace}local".
package xliff
