// Value lists for the form, with local fallbacks so the form still works if a list cannot be fetched.
import { api } from './client';
import { INTERACTION_TYPES } from './types';

export async function fetchInteractionTypes(): Promise<string[]> {
  const { items } = await api<{ items: string[] }>('/api/meta/interaction-types');
  return items.length ? items : [...INTERACTION_TYPES];
}

export async function fetchTimezones(): Promise<string[]> {
  const { items } = await api<{ items: string[] }>('/api/meta/timezones');
  return items;
}
