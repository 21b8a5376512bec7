// The reset dialog's image picker, built on DescribeResetInstanceBlueprints: the images each chosen instance
// can be reset to, and for every image that cannot be used, the service's own reason (NonResettableMessage),
// shown under the picker. With several instances, an image is offered only when every one of them can take it.

const TYPE_LABEL = { PURE_OS: 'System images', APP_OS: 'Application images', DOCKER: 'Docker images', PRIVATE: 'Custom images', SHARED: 'Shared images' };

/** Every ResetInstanceBlueprint of one instance (pages of 100). */
async function resetImagesOf(client, instanceId) {
  const out = [];
  for (let offset = 0; ; offset += 100) {
    const page = await client.describeResetInstanceBlueprints({ InstanceId: instanceId, Offset: offset, Limit: 100 });
    out.push(...page.ResetInstanceBlueprintSet);
    if (page.ResetInstanceBlueprintSet.length === 0 || offset + 100 >= page.TotalCount) return out;
  }
}

/**
 * BlueprintId -> { blueprint, refusals: [{ instance, message }] } over `instances` (an image missing for one
 * of them is refused for it too).
 */
export async function imagesFor(client, instances) {
  const lists = await Promise.all(instances.map((i) => resetImagesOf(client, i.InstanceId)));
  const images = new Map();
  lists.forEach((list, n) => {
    for (const item of list) {
      const id = item.BlueprintInfo.BlueprintId;
      if (!images.has(id)) images.set(id, { blueprint: item.BlueprintInfo, refusals: [], offeredTo: 0 });
      const image = images.get(id);
      image.offeredTo++;
      if (!item.IsResettable) image.refusals.push({ instance: instances[n], message: item.NonResettableMessage || 'not resettable' });
    }
  });
  for (const image of images.values()) {
    if (image.offeredTo < instances.length) image.refusals.push({ instance: null, message: 'not offered for every selected instance' });
  }
  return images;
}

const nameOf = (i) => i.InstanceName || i.InstanceId;

/**
 * Fills `select` (after its first option, "keep the current image") and the `why` list from `images`.
 * `title(blueprint)` is the image's display name.
 */
export function renderPicker({ el, select, why, images, title, several }) {
  const groups = new Map();
  for (const image of images.values()) {
    const type = image.blueprint.BlueprintType || 'OTHER';
    if (!groups.has(type)) groups.set(type, []);
    groups.get(type).push(image);
  }
  const keep = select.options[0];
  const options = [keep];
  const refused = [];
  for (const [type, list] of groups) {
    options.push(
      el(
        'optgroup',
        { label: TYPE_LABEL[type] || type },
        ...list.map(({ blueprint: b, refusals }) => {
          const label = `${title(b)} (${b.BlueprintId})`;
          if (refusals.length) refused.push({ label, refusals });
          return el('option', {
            value: b.BlueprintId,
            disabled: refusals.length > 0,
            'data-resettable': refusals.length ? 'false' : 'true',
            text: refusals.length ? `${label} — cannot be used` : label,
          });
        }),
      ),
    );
  }
  select.replaceChildren(...options);
  select.value = '';
  why.replaceChildren(
    ...refused.map(({ label, refusals }) =>
      el(
        'li',
        {},
        el('strong', { text: label }),
        ': ',
        refusals.map((r) => (several && r.instance ? `${nameOf(r.instance)}: ${r.message}` : r.message)).join('; '),
      ),
    ),
  );
  why.hidden = refused.length === 0;
  return { usable: [...images.values()].filter((i) => i.refusals.length === 0).length, refused: refused.length };
}
