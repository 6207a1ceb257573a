/** The records of Klaviyo's JSON:API documents as the client hands them out: pages, lists, profiles, consent, errors. */
package io.github.klaviyosync.gateway.klaviyo.model;
