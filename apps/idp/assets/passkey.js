/**
 * The IdP's passkey pages (sign-in, second factor, the account page's enrolment). Served from the IdP's own origin
 * under a CSP that allows exactly `script-src 'self'`: no inline script, no eval. It reads the WebAuthn options the
 * server put in the form's `data-webauthn-options`, runs the ceremony with @simplewebauthn/browser (loaded before
 * it, as the global `SimpleWebAuthnBrowser`), puts the answer in the form's `credential` field and submits the
 * form: the server checks everything (challenge, origin, signature, counter), the page only carries the answer.
 */
(() => {
  const form = document.querySelector('form[data-webauthn]');
  const start = form?.querySelector('[data-webauthn-start]');
  const status = document.getElementById('passkey-status');
  if (!(form instanceof HTMLFormElement) || !(start instanceof HTMLButtonElement)) return;

  /** @param {string} text */
  const say = (text) => {
    if (status) status.textContent = text;
  };

  /** @param {unknown} error */
  const explain = (error) => {
    const name = error instanceof Error ? error.name : '';
    if (name === 'NotAllowedError' || name === 'AbortError') {
      return 'The passkey prompt was closed or timed out. Try again when you are ready.';
    }
    if (name === 'InvalidStateError') return 'This passkey is registered already.';
    if (name === 'SecurityError') return 'This page may not use passkeys (a wrong address or an insecure connection).';
    return 'Your browser could not use a passkey here.';
  };

  start.addEventListener('click', async () => {
    const webauthn = window.SimpleWebAuthnBrowser;
    const credential = form.elements.namedItem('credential');
    if (!webauthn || !(credential instanceof HTMLInputElement)) {
      say('Passkeys could not be loaded on this page.');
      return;
    }
    if (!webauthn.browserSupportsWebAuthn()) {
      say('This browser does not support passkeys.');
      return;
    }
    start.disabled = true;
    say('');
    try {
      const optionsJSON = JSON.parse(form.dataset.webauthnOptions ?? '{}');
      const answer =
        form.dataset.webauthn === 'registration'
          ? await webauthn.startRegistration({ optionsJSON })
          : await webauthn.startAuthentication({ optionsJSON });
      credential.value = JSON.stringify(answer);
      form.submit();
    } catch (error) {
      say(explain(error));
      start.disabled = false;
    }
  });
})();
